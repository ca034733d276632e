package dev.weft.sleeve.internal.control;

import java.time.Duration;
import java.time.Instant;

/**
 * Heartbeat bookkeeping of one sleeve connection. Heartbeats are sealed datagrams sent fast
 * (every 500 ms) until the other end acknowledges one over TCP, then slowly (every 10 s); every
 * heartbeat received is acknowledged. The connection is established once heartbeats have passed
 * both ways: we received one of theirs (and acknowledged it) and they acknowledged one of ours. It has failed when no heartbeat arrived
 * for the timeout (60 s: six slow heartbeats).
 *
 * <p>Pure state with an explicit clock: the caller sends, acks and runs the timers. Not
 * thread-safe: the connection's control actor owns it.
 */
public final class LinkHealth {
    public static final Duration FAST_INTERVAL = Duration.ofMillis(500);
    public static final Duration SLOW_INTERVAL = Duration.ofSeconds(10);
    /** 6 x the slow interval, as Weave. */
    public static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Duration fast;
    private final Duration slow;
    private final Duration timeout;
    private Instant started;
    private Instant lastReceived;
    private boolean received;
    private boolean acked;
    private boolean reportedEstablished;

    public LinkHealth() {
        this(FAST_INTERVAL, SLOW_INTERVAL, TIMEOUT);
    }

    public LinkHealth(Duration fast, Duration slow, Duration timeout) {
        this.fast = fast;
        this.slow = slow;
        this.timeout = timeout;
    }

    /** The connection was confirmed at {@code now}; the timeout counts from here. */
    public void start(Instant now) {
        started = now;
        lastReceived = now;
    }

    /** How long until the next heartbeat should go out. */
    public Duration interval() {
        return acked ? slow : fast;
    }

    /**
     * An authentic heartbeat arrived. The caller acknowledges every one over TCP, not only the
     * first: an acknowledgement lost or dropped (the peer's connection was being set up or
     * replaced) would otherwise leave the peer sending fast heartbeats and pending for ever. It
     * costs one small control message per heartbeat: every 10 s once established.
     */
    public void heartbeatReceived(Instant now) {
        lastReceived = now;
        received = true;
    }

    /** The other end acknowledged one of our heartbeats. */
    public void ackReceived() {
        acked = true;
    }

    /** True once heartbeats passed both ways. */
    public boolean established() {
        return received && acked;
    }

    /**
     * True exactly once: the first time this is asked after the connection became established
     * (the caller reports it to the mesh then).
     */
    public boolean becameEstablished() {
        if (established() && !reportedEstablished) {
            reportedEstablished = true;
            return true;
        }
        return false;
    }

    /** True if nothing was heard for longer than the timeout at {@code now}. */
    public boolean timedOut(Instant now) {
        return started != null && Duration.between(lastReceived, now).compareTo(timeout) > 0;
    }

    /** A short explanation for status: what the connection is waiting for. */
    public String state() {
        if (established()) {
            return "established";
        }
        if (!received && !acked) {
            return "waiting for heartbeats both ways";
        }
        return received ? "waiting for the peer to acknowledge our heartbeats" : "waiting for the peer's heartbeats";
    }

    public Instant lastReceived() {
        return lastReceived;
    }
}
