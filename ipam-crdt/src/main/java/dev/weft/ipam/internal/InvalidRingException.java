package dev.weft.ipam.internal;

/** A ring (received or loaded) breaks an invariant, or cannot be joined with ours; never applied. */
public final class InvalidRingException extends Exception {

    private static final long serialVersionUID = 1L;

    public InvalidRingException(String message) {
        super(message);
    }
}
