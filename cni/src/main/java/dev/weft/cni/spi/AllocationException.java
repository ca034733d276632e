package dev.weft.cni.spi;

import java.util.Objects;

/** IPAM could not give or take an address; the kind decides the CNI error code. */
public final class AllocationException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why. */
    public enum Kind {
        /** No address before the deadline (space is being requested): CNI code 11. */
        TIMEOUT,
        /** IPAM is not ready (no ring yet, shutting down): CNI code 11. */
        UNAVAILABLE,
        /** Every address of the range is in use: a Weft error code. */
        EXHAUSTED,
        /** A claimed address belongs to someone else: a Weft error code. */
        CONFLICT,
        /** The subnet or address is not inside the range: CNI code 7. */
        INVALID
    }

    private final Kind kind;

    public AllocationException(Kind kind, String message) {
        super(message);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    /** Why the allocation failed. */
    public Kind kind() {
        return kind;
    }
}
