package dev.weft.fastpath.internal.health;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * Whether one connection's fast path works, judged from heartbeats in both directions: ours must
 * be acknowledged (frames to the peer arrive) and the peer's must arrive (frames from it arrive),
 * each within the timeout. A path that carries one direction only is no use to TCP, and when one
 * end stops using it the other must stop too, or replies vanish.
 *
 * <p>States: {@code PENDING} until the path first works, then {@code HEALTHY}, {@code
 * UNHEALTHY} when a direction is silent for longer than the timeout, and {@code HEALTHY} again
 * once {@link #RECOVERY_ACKS} heartbeats sent after the failure were acknowledged and one arrived
 * (so a path that flickers does not flap the connection on every stray packet).
 *
 * <p>Pure: time comes in as arguments. Not thread-safe: one actor owns it.
 */
public final class PathHealth {
    /** Heartbeats sent after a failure that must be acknowledged before the path counts again. */
    public static final int RECOVERY_ACKS = 2;

    /** Where the path stands. */
    public enum State {
        PENDING,
        HEALTHY,
        UNHEALTHY
    }

    /** What an evaluation changed. */
    public enum Transition {
        NONE,
        BECAME_HEALTHY,
        BECAME_UNHEALTHY
    }

    private final Duration fastInterval;
    private final Duration interval;
    private final Duration timeout;
    private State state = State.PENDING;
    private String reason = "waiting for the first heartbeats";
    private Instant started;
    private Instant lastAck;
    private Instant lastReceived;
    private long nextSequence = 1;
    private long lastAckedSequence;
    /** Sequence of the first heartbeat sent since the path last stopped working. */
    private long firstSequenceSinceDown = 1;

    private int acksSinceDown;
    private int receivedSinceDown;
    private long heartbeatsSent;
    private long acksReceived;
    private long heartbeatsReceived;
    private long failures;

    /**
     * @param fastInterval time between heartbeats while the path does not work (e.g. 500 ms)
     * @param interval time between heartbeats while it works
     * @param timeout silence in either direction after which it does not work any more
     */
    public PathHealth(Duration fastInterval, Duration interval, Duration timeout) {
        if (fastInterval.isNegative() || fastInterval.isZero() || interval.compareTo(fastInterval) < 0) {
            throw new IllegalArgumentException("need 0 < fastInterval <= interval");
        }
        if (timeout.compareTo(interval) <= 0) {
            throw new IllegalArgumentException("the heartbeat timeout must exceed the interval");
        }
        this.fastInterval = fastInterval;
        this.interval = interval;
        this.timeout = timeout;
    }

    /** The connection was confirmed at {@code now}; heartbeats start. */
    public void start(Instant now) {
        started = now;
    }

    /** Takes the sequence number for the next heartbeat to send. */
    public long nextSequence() {
        heartbeatsSent++;
        return nextSequence++;
    }

    /** The peer acknowledged heartbeat {@code sequence}. Ignores stale and never-sent ones. */
    public void ackReceived(long sequence, Instant now) {
        if (sequence <= lastAckedSequence || sequence >= nextSequence) {
            return;
        }
        lastAckedSequence = sequence;
        lastAck = now;
        acksReceived++;
        if (sequence >= firstSequenceSinceDown) {
            acksSinceDown++;
        }
    }

    /** A heartbeat of the peer arrived through the fast path. */
    public void heartbeatReceived(Instant now) {
        lastReceived = now;
        heartbeatsReceived++;
        receivedSinceDown++;
    }

    /** Re-evaluates the state at {@code now}. */
    public Transition evaluate(Instant now) {
        String silence = silence(now);
        if (state == State.HEALTHY) {
            if (silence != null) {
                state = State.UNHEALTHY;
                reason = silence;
                failures++;
                firstSequenceSinceDown = nextSequence;
                acksSinceDown = 0;
                receivedSinceDown = 0;
                return Transition.BECAME_UNHEALTHY;
            }
            return Transition.NONE;
        }
        int acksNeeded = state == State.PENDING ? 1 : RECOVERY_ACKS;
        if (silence == null && acksSinceDown >= acksNeeded && receivedSinceDown >= 1) {
            state = State.HEALTHY;
            reason = "";
            return Transition.BECAME_HEALTHY;
        }
        reason = waitingReason(now, silence, acksNeeded);
        return Transition.NONE;
    }

    private String silence(Instant now) {
        if (lastAck == null || lastReceived == null) {
            return lastAck == null ? "no heartbeat acknowledged yet" : "no heartbeat received yet";
        }
        Duration sinceAck = Duration.between(lastAck, now);
        Duration sinceReceived = Duration.between(lastReceived, now);
        if (sinceAck.compareTo(timeout) > 0) {
            return "no heartbeat acknowledged for " + seconds(sinceAck) + ": frames to the peer are lost";
        }
        if (sinceReceived.compareTo(timeout) > 0) {
            return "no heartbeat received for " + seconds(sinceReceived) + ": frames from the peer are lost";
        }
        return null;
    }

    private String waitingReason(Instant now, String silence, int acksNeeded) {
        if (state == State.UNHEALTHY) {
            if (silence != null) {
                return silence; // still silent in some direction: say which, and for how long
            }
            return "recovering: " + Math.min(acksSinceDown, acksNeeded) + " of " + acksNeeded
                    + " heartbeats acknowledged, " + receivedSinceDown + " received";
        }
        String waiting = silence != null ? silence : "waiting for heartbeats";
        return started == null ? waiting : waiting + " after " + seconds(Duration.between(started, now));
    }

    private static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms < 10_000 ? String.format(Locale.ROOT, "%.1f s", ms / 1000.0) : (ms / 1000) + " s";
    }

    public State state() {
        return state;
    }

    /** Why the path is not healthy (empty when it is), for status. */
    public String reason() {
        return reason;
    }

    /** How long until the next heartbeat. */
    public Duration interval() {
        return state == State.HEALTHY ? interval : fastInterval;
    }

    public long heartbeatsSent() {
        return heartbeatsSent;
    }

    public long acksReceived() {
        return acksReceived;
    }

    public long heartbeatsReceived() {
        return heartbeatsReceived;
    }

    /** How often the path went from healthy to unhealthy. */
    public long failures() {
        return failures;
    }
}
