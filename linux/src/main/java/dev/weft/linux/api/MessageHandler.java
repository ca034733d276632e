package dev.weft.linux.api;

/**
 * Receives the reply messages of a request (or unsolicited messages), one call per message, on
 * the thread that called the socket. The message view is valid only during the call.
 */
@FunctionalInterface
public interface MessageHandler {
    /** Handles one message; an exception aborts the receive and propagates to the caller. */
    void onMessage(NetlinkMessage message);

    /** A handler that ignores replies (for requests answered only by an ACK). */
    MessageHandler IGNORE = m -> {};
}
