package dev.weft.gossip.api;

/**
 * A gossip message was rejected: malformed, oversized, or inconsistent with local state. The mesh
 * logs the message and closes the connection it arrived on.
 */
public class GossipException extends RuntimeException {

    /** With a reason a user can read in the log. */
    public GossipException(String message) {
        super(message);
    }

    /** With a reason and its cause. */
    public GossipException(String message, Throwable cause) {
        super(message, cause);
    }
}
