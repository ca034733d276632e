package dev.weft.linux.api;

/**
 * Bytes that claim to be a netlink message are not one: a header or attribute length runs past
 * its container, is shorter than its own header, or a value has the wrong size. Thrown by the
 * parser before it reads a byte out of bounds; nothing has been acted upon when it is thrown.
 */
public final class MalformedMessageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MalformedMessageException(String message) {
        super(message);
    }
}
