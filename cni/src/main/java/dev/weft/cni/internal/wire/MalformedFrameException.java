package dev.weft.cni.internal.wire;

import java.io.IOException;

/** A shim frame that is truncated, oversized, of an unknown version or otherwise not ours. */
public final class MalformedFrameException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String variable;

    MalformedFrameException(String message) {
        this(message, null);
    }

    MalformedFrameException(String message, String variable) {
        super(message);
        this.variable = variable;
    }

    /**
     * The CNI environment variable whose value was unusable (too long, not UTF-8), or null when
     * the frame itself is broken. Lets the router answer with code 4 naming the variable.
     */
    public String variable() {
        return variable;
    }
}
