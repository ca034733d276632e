package dev.weft.gossip.internal.wire;

/** The empty heartbeat message (tag 0). */
public enum Heartbeat {
    INSTANCE
}
