package dev.weft.gossip.spi;

/** An overlay cannot serve a connection; the message says why. */
public class OverlayException extends Exception {

    /** With a reason a user can read. */
    public OverlayException(String message) {
        super(message);
    }

    /** With a reason and its cause. */
    public OverlayException(String message, Throwable cause) {
        super(message, cause);
    }
}
