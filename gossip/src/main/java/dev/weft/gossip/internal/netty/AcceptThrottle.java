package dev.weft.gossip.internal.netty;

/**
 * A token bucket limiting accepted connections (mesh: 20 tokens, one more every 50 ms), to slow
 * online password guessing and handshake floods. Time comes from the caller (a Netty ticker), so
 * it is deterministic in tests. Thread-safe.
 */
final class AcceptThrottle {

    private final int capacity;
    private final long tokenNanos;
    private double tokens;
    private long last;
    private boolean started;

    AcceptThrottle(int capacity, long tokenNanos) {
        this.capacity = capacity;
        this.tokenNanos = tokenNanos;
        this.tokens = capacity;
    }

    /** Takes a token at time {@code nowNanos}; false if none is left (reject the connection). */
    synchronized boolean tryAcquire(long nowNanos) {
        if (!started) {
            started = true;
            last = nowNanos;
        }
        long elapsed = nowNanos - last;
        if (elapsed > 0) {
            tokens = Math.min(capacity, tokens + (double) elapsed / tokenNanos);
            last = nowNanos;
        }
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
