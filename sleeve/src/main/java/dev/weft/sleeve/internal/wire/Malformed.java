package dev.weft.sleeve.internal.wire;

/** Why a datagram or a message was rejected by a decoder; each reason has its own counter. */
public enum Malformed {
    NONE,
    /** Shorter than its header, or a record running past the end of its message. */
    TRUNCATED,
    BAD_VERSION,
    BAD_KIND,
    BAD_RESERVED,
    /** A length field of zero or beyond its hard limit. */
    BAD_LENGTH,
    /** A fragment that is misaligned, overlaps another, or runs past its message. */
    BAD_FRAGMENT,
    /** The all-zero (unknown) peer name. */
    BAD_SENDER,
    /** Unknown flag bits, an unknown offload type or inconsistent offload fields in a record. */
    BAD_RECORD,
    /** Bytes after the last record that do not form a record. */
    TRAILING_BYTES
}
