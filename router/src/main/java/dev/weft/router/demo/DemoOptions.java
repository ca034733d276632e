package dev.weft.router.demo;

import java.time.Duration;
import java.util.Optional;

/**
 * What {@code weft demo} builds.
 *
 * @param nodes routers, each in its own network namespace (2..16)
 * @param podsPerNode pods attached to each router (1..8)
 * @param password the mesh password, or empty for an unencrypted mesh
 * @param keep leave everything running at the end (the summary says how to clean up)
 * @param timeout how long each phase (routers up, mesh established, pods attached) may take
 * @param pings echo requests per pod pair
 */
public record DemoOptions(
        int nodes, int podsPerNode, Optional<String> password, boolean keep, Duration timeout, int pings) {

    public DemoOptions {
        if (nodes < 2 || nodes > 16) {
            throw new IllegalArgumentException("--nodes must be 2..16, not " + nodes);
        }
        if (podsPerNode < 1 || podsPerNode > 8) {
            throw new IllegalArgumentException("--pods must be 1..8, not " + podsPerNode);
        }
        if (password.isPresent() && password.get().isEmpty()) {
            password = Optional.empty();
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("--timeout must be positive");
        }
        if (pings < 1 || pings > 100) {
            throw new IllegalArgumentException("--pings must be 1..100, not " + pings);
        }
    }
}
