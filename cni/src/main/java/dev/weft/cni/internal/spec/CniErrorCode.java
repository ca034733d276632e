package dev.weft.cni.internal.spec;

/** CNI error codes (SPEC.md "Error"), and Weft's own from 100 up. */
public final class CniErrorCode {
    /** Incompatible CNI version. */
    public static final int INCOMPATIBLE_VERSION = 1;
    /** Unsupported field in the network configuration; the message names key and value. */
    public static final int UNSUPPORTED_FIELD = 2;
    /** Container unknown or does not exist; the runtime need not clean up. */
    public static final int UNKNOWN_CONTAINER = 3;
    /** Invalid or missing environment variables; the message names them. */
    public static final int INVALID_ENVIRONMENT = 4;
    /** I/O failure, e.g. reading stdin. */
    public static final int IO_FAILURE = 5;
    /** Failed to decode content (bad JSON, bad version string). */
    public static final int DECODING_FAILURE = 6;
    /** Invalid network configuration. */
    public static final int INVALID_NETWORK_CONFIG = 7;
    /** Transient: try again later. */
    public static final int TRY_AGAIN_LATER = 11;
    /** STATUS: the plugin cannot serve ADD now. */
    public static final int NOT_AVAILABLE = 50;
    /** STATUS: cannot serve ADD, and existing containers may have limited connectivity. */
    public static final int NOT_AVAILABLE_LIMITED_CONNECTIVITY = 51;
    /** Weft: the shim and the router speak different protocol versions, or a bad frame. */
    public static final int PROTOCOL = 100;
    /** Weft: the kernel refused an operation (netlink error), details carry the errno. */
    public static final int KERNEL = 101;
    /** Weft: the address could not be allocated (pool exhausted, claim conflict). */
    public static final int ADDRESS_UNAVAILABLE = 102;
    /** Weft: a delegated plugin failed without printing an error object. */
    public static final int DELEGATE_FAILED = 103;
    /** Weft: CHECK found the attachment different from what prevResult says (message: what). */
    public static final int CHECK_FAILED = 104;
    /** Weft: an unexpected failure inside the router; details carry the cause. */
    public static final int INTERNAL = 199;

    private CniErrorCode() {}
}
