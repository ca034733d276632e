package dev.weft.gossip.testkit;

import java.time.Duration;
import java.util.Objects;

/**
 * How the simulated network treats traffic between two hosts. Immutable; use {@link #DEFAULT} and
 * the {@code with...} methods.
 *
 * @param latency one-way delay of every message (default 1 ms)
 * @param jitter each connection's latency is fixed at creation, uniformly in latency ± jitter
 *     (default 0.5 ms)
 * @param dropProbability chance each message is lost (0..1, default 0). TCP never loses single
 *     messages, so this is a stress mode beyond TCP semantics, for anti-entropy tests
 * @param reorder extra random delay per message up to this bound, breaking FIFO order (default
 *     zero = FIFO); also beyond TCP semantics
 * @param connectTimeout how long a dial across a partition takes to fail (default 3 s)
 * @param deadline how long a connection survives a partition before its heartbeat deadline
 *     closes it (default 60 s, the TCP read deadline)
 */
public record LinkRule(
        Duration latency,
        Duration jitter,
        double dropProbability,
        Duration reorder,
        Duration connectTimeout,
        Duration deadline) {

    /** A LAN-like link. */
    public static final LinkRule DEFAULT = new LinkRule(
            Duration.ofMillis(1),
            Duration.ofNanos(500_000),
            0,
            Duration.ZERO,
            Duration.ofSeconds(3),
            Duration.ofSeconds(60));

    /** Validates. */
    public LinkRule {
        Objects.requireNonNull(latency);
        Objects.requireNonNull(jitter);
        Objects.requireNonNull(reorder);
        if (dropProbability < 0 || dropProbability > 1) {
            throw new IllegalArgumentException("drop probability must be in 0..1");
        }
        if (jitter.compareTo(latency) > 0) {
            throw new IllegalArgumentException("jitter must not exceed latency");
        }
    }

    public LinkRule withLatency(Duration l, Duration j) {
        return new LinkRule(l, j, dropProbability, reorder, connectTimeout, deadline);
    }

    public LinkRule withDropProbability(double p) {
        return new LinkRule(latency, jitter, p, reorder, connectTimeout, deadline);
    }

    public LinkRule withReorder(Duration r) {
        return new LinkRule(latency, jitter, dropProbability, r, connectTimeout, deadline);
    }

    public LinkRule withDeadline(Duration d) {
        return new LinkRule(latency, jitter, dropProbability, reorder, connectTimeout, d);
    }
}
