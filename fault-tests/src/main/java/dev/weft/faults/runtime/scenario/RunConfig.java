package dev.weft.faults.runtime.scenario;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How to run scenarios.
 *
 * @param weftHome the checkout whose built router the nodes run
 * @param reportDir where histories, router logs and the report go
 * @param scale multiplies every duration of a plan (1.0 full, less for the smoke)
 * @param healBound how long after the final heal the cluster has to converge and every pod pair
 *     to reach every other (default 30 s)
 * @param nodes node count, or 0 for each scenario's own
 * @param seed the first run's seed (later runs add 1), or 0 to draw one
 */
public record RunConfig(Path weftHome, Path reportDir, double scale, Duration healBound, int nodes, long seed) {

    public RunConfig {
        if (!(scale > 0)) {
            throw new IllegalArgumentException("scale must be positive: " + scale);
        }
    }
}
