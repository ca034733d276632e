package dev.weft.fastpath.internal.driver;

import dev.weft.fastpath.internal.wire.HeartbeatFrame;

/** Where a driver hands the heartbeats that arrived through the fast path. */
@FunctionalInterface
public interface HeartbeatSink {
    /**
     * Called on the driver's receiving thread; must not block. {@code heartbeat} is decoded and
     * immutable; who sent it is not yet checked against the connection.
     */
    void received(HeartbeatFrame.Heartbeat heartbeat);
}
