package dev.weft.faults.runtime.router;

/**
 * The router's answer to an HTTP request made from inside its node with curl.
 *
 * @param status the HTTP status, or 0 when there was no answer
 * @param body the response body
 * @param transport why there was no answer ({@link Transport#OK} when there was one)
 * @param detail curl's error text when there was no answer
 */
public record HttpReply(int status, String body, Transport transport, String detail) {

    /** How the request went at the transport level (from curl's exit code). */
    public enum Transport {
        /** An HTTP answer arrived (any status). */
        OK,
        /** Nothing listens: the router is not running. The request certainly had no effect. */
        REFUSED,
        /** No answer in time: the request may or may not have taken effect. */
        TIMEOUT,
        /** The connection broke mid-way (router died, empty reply): outcome unknown. */
        BROKEN
    }

    /** True for a 2xx answer. */
    public boolean success() {
        return transport == Transport.OK && status >= 200 && status < 300;
    }

    /**
     * True when the request certainly did not take effect: refused connection, or a 4xx answer
     * (the router rejected it).
     */
    public boolean certainlyFailed() {
        return transport == Transport.REFUSED || (transport == Transport.OK && status >= 400 && status < 500);
    }

    /** A short description for the history's error field. */
    public String describe() {
        if (transport == Transport.OK) {
            String b = body.strip();
            return "HTTP " + status + (b.isEmpty() ? "" : ": " + (b.length() > 200 ? b.substring(0, 200) + "..." : b));
        }
        return transport.name().toLowerCase(java.util.Locale.ROOT) + (detail.isBlank() ? "" : ": " + detail.strip());
    }
}
