package dev.weft.sleeve.internal.control;

import java.time.Duration;

/**
 * Path-MTU discovery for one sleeve connection, as Weave's sleeve does it: probe datagrams of a
 * candidate size are sent with don't-fragment set and acknowledged over TCP; the search is a
 * bisection between the largest size known to pass and the smallest known to fail, starting from
 * the route's MTU. A probe is retried with a doubling timeout (10 ms, 20 ms, ... 8 attempts)
 * before its size counts as failed, so a path that silently drops big packets (an ICMP black hole)
 * is found too.
 *
 * <p>Pure state: the caller sends the probes and runs the timers. Sizes are path MTUs (IP packet
 * bytes). Not thread-safe: the connection's control actor owns it.
 */
public final class PathMtuDiscovery {
    /** The smallest MTU assumed to always pass (Weave's floor, below IPv4's 576). */
    public static final int FLOOR = 552;

    public static final int ATTEMPTS = 8;
    public static final Duration FIRST_TIMEOUT = Duration.ofMillis(10);

    private int highestGood;
    private int lowestBad;
    private int candidate;
    private int attempt;
    private boolean running;
    private boolean first;
    private int result = -1;

    /**
     * Starts (or restarts) a search below {@code routeMtu}. Returns the first candidate to probe.
     */
    public int start(int routeMtu) {
        highestGood = FLOOR;
        lowestBad = Math.max(FLOOR + 1, routeMtu + 1);
        running = true;
        first = true;
        result = -1;
        return next();
    }

    /** True while a probe is outstanding. */
    public boolean running() {
        return running;
    }

    /** The size of the outstanding probe. */
    public int candidate() {
        return candidate;
    }

    /** How long to wait for the outstanding probe's ack. */
    public Duration timeout() {
        return FIRST_TIMEOUT.multipliedBy(1L << attempt);
    }

    /** The settled MTU once the search ended, or -1 while searching (or before the first). */
    public int result() {
        return result;
    }

    /**
     * An ack for a probe of {@code mtu} arrived. Returns the next candidate, or -1 when the search
     * is over (or the ack was for an older probe and is ignored: then {@link #running()} tells).
     */
    public int acked(int mtu) {
        if (!running || mtu != candidate) {
            return -1;
        }
        highestGood = candidate;
        return next();
    }

    /**
     * The outstanding probe's timeout fired. Returns the size to probe next: the same candidate
     * again (with a longer timeout) until the attempts are used up, then the next one; -1 when the
     * search is over.
     */
    public int timedOut() {
        if (!running) {
            return -1;
        }
        attempt++;
        if (attempt < ATTEMPTS) {
            return candidate;
        }
        lowestBad = candidate;
        return next();
    }

    /** The kernel refused to send the probe (EMSGSIZE): the size is too big for this host. */
    public int refused() {
        if (!running) {
            return -1;
        }
        lowestBad = candidate;
        return next();
    }

    private int next() {
        attempt = 0;
        if (highestGood + 1 >= lowestBad) {
            running = false;
            result = highestGood;
            return -1;
        }
        // The first probe tries the route's MTU itself: usually it passes and the search is over.
        candidate = first ? lowestBad - 1 : (highestGood + lowestBad) >>> 1;
        first = false;
        return candidate;
    }
}
