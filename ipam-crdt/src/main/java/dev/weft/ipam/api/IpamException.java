package dev.weft.ipam.api;

/**
 * Why an IPAM request failed. The {@link Kind} says what the caller can do about it (and maps to an
 * HTTP status); the message is written for a human operator.
 */
public final class IpamException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What kind of failure this is. */
    public enum Kind {
        /** The request itself is wrong (bad id, malformed CIDR, address outside the range): HTTP 400. */
        BAD_REQUEST(400),
        /** Nothing is recorded for that id or address: HTTP 404. */
        NOT_FOUND(404),
        /** The address belongs to another container, or a conflicting state blocks it: HTTP 409. */
        CONFLICT(409),
        /**
         * The request waited until its deadline; the message says what it was waiting for (consensus,
         * space from a peer, an unreachable owner): HTTP 503. Safe to retry.
         */
        TIMEOUT(503),
        /** This peer cannot serve IPAM (stopped, left the ring, removed by rmpeer, store failure): HTTP 503. */
        UNAVAILABLE(503);

        private final int httpStatus;

        Kind(int httpStatus) {
            this.httpStatus = httpStatus;
        }

        /** The HTTP status the router answers with. */
        public int httpStatus() {
            return httpStatus;
        }
    }

    private final Kind kind;

    public IpamException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public IpamException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public static IpamException badRequest(String message) {
        return new IpamException(Kind.BAD_REQUEST, message);
    }

    public static IpamException notFound(String message) {
        return new IpamException(Kind.NOT_FOUND, message);
    }

    public static IpamException conflict(String message) {
        return new IpamException(Kind.CONFLICT, message);
    }

    public static IpamException timeout(String message) {
        return new IpamException(Kind.TIMEOUT, message);
    }

    public static IpamException unavailable(String message) {
        return new IpamException(Kind.UNAVAILABLE, message);
    }
}
