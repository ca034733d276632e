package dev.weft.cni.internal.spec;

/** A failed CNI operation: becomes the error object on the shim's stdout. */
public final class CniException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int code;
    private final String details;

    /** An error with a short message and no details. */
    public CniException(int code, String message) {
        this(code, message, null);
    }

    /** An error with a short message and longer details (may be null). */
    public CniException(int code, String message, String details) {
        super(message);
        this.code = code;
        this.details = details;
    }

    /** The CNI error code ({@link CniErrorCode}). */
    public int code() {
        return code;
    }

    /** The optional long explanation, or null. */
    public String details() {
        return details;
    }
}
