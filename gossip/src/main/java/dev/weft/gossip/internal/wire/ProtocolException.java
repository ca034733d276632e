package dev.weft.gossip.internal.wire;

/** The remote broke the wire protocol; the message says how. The connection is closed. */
public final class ProtocolException extends RuntimeException {

    public ProtocolException(String message) {
        super(message);
    }
}
