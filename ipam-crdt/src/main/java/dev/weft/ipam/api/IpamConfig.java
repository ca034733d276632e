package dev.weft.ipam.api;

import java.time.Duration;
import java.util.Objects;

/**
 * What a router's IPAM is configured with. Immutable.
 *
 * @param range the universe every peer allocates from ({@code --ipalloc-range}, default
 *     10.32.0.0/12); must be a subnet from /8 (16 Mi addresses, the most one peer tracks) to /30
 * @param defaultSubnet where an allocation without a subnet goes ({@code --ipalloc-default-subnet},
 *     default = range); must lie inside the range
 * @param init how a new cluster seeds its ring ({@code --ipalloc-init}, default consensus=1)
 * @param retryInterval how often pending requests, space requests and consensus proposals are
 *     retried (Weave: 5 s); wall time
 * @param leaveTimeout how long a graceful leave waits for the heir to confirm it took over
 *     (default 10 s)
 */
public record IpamConfig(Cidr range, Cidr defaultSubnet, InitMode init, Duration retryInterval, Duration leaveTimeout) {

    /** The Kubernetes default range of Weave Net, kept for Weft. */
    public static final Cidr DEFAULT_RANGE = Cidr.parse("10.32.0.0/12");

    /** Smallest prefix length (largest range) one peer can track: /8, 16 Mi addresses (2 MiB of bits). */
    public static final int MIN_RANGE_PREFIX = 8;

    /** Largest prefix length (smallest range): /30, 4 addresses (Weave's minimum subnet). */
    public static final int MAX_RANGE_PREFIX = 30;

    public IpamConfig {
        Objects.requireNonNull(range, "range");
        Objects.requireNonNull(init, "init");
        Objects.requireNonNull(retryInterval, "retryInterval");
        Objects.requireNonNull(leaveTimeout, "leaveTimeout");
        if (!range.isSubnet()) {
            throw IpamException.badRequest(
                    "--ipalloc-range " + range + " has host bits set (did you mean " + range.subnet() + "?)");
        }
        if (range.prefixLength() < MIN_RANGE_PREFIX || range.prefixLength() > MAX_RANGE_PREFIX) {
            throw IpamException.badRequest(
                    "--ipalloc-range " + range + " must be /" + MIN_RANGE_PREFIX + " to /" + MAX_RANGE_PREFIX);
        }
        if (defaultSubnet == null) {
            defaultSubnet = range;
        }
        if (!defaultSubnet.isSubnet()) {
            throw IpamException.badRequest("--ipalloc-default-subnet " + defaultSubnet
                    + " has host bits set (did you mean " + defaultSubnet.subnet() + "?)");
        }
        if (!range.contains(defaultSubnet)) {
            throw IpamException.badRequest(
                    "--ipalloc-default-subnet " + defaultSubnet + " is not inside --ipalloc-range " + range);
        }
        if (defaultSubnet.prefixLength() > MAX_RANGE_PREFIX) {
            throw IpamException.badRequest(
                    "--ipalloc-default-subnet " + defaultSubnet + " is smaller than /" + MAX_RANGE_PREFIX);
        }
        if (retryInterval.isNegative() || retryInterval.isZero()) {
            throw IpamException.badRequest("retryInterval must be positive");
        }
    }

    /** Defaults: 10.32.0.0/12, default subnet = range, consensus=1, 5 s retries, 10 s leave. */
    public static IpamConfig defaults() {
        return of(DEFAULT_RANGE, null, new InitMode.Consensus(1));
    }

    /** A config with default timings. */
    public static IpamConfig of(Cidr range, Cidr defaultSubnet, InitMode init) {
        return new IpamConfig(range, defaultSubnet, init, Duration.ofSeconds(5), Duration.ofSeconds(10));
    }

    public IpamConfig withRetryInterval(Duration d) {
        return new IpamConfig(range, defaultSubnet, init, d, leaveTimeout);
    }

    public IpamConfig withLeaveTimeout(Duration d) {
        return new IpamConfig(range, defaultSubnet, init, retryInterval, d);
    }
}
