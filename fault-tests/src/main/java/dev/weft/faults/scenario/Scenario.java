package dev.weft.faults.scenario;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A named fault scenario: the nodes, the routers' address range, the workload and a plan of
 * faults. Pure: the plan depends only on the node names and the seeded randomness given, so a
 * run replays from its seed.
 */
public interface Scenario {

    /** The scenario's name, used for the test and in the report (the class's simple name). */
    default String name() {
        return getClass().getSimpleName();
    }

    /** What the scenario does and what it shows, in a sentence or two. */
    String description();

    /** How many nodes it wants (default 5). */
    default int nodes() {
        return 5;
    }

    /**
     * The address range the routers allocate from ({@code --ipalloc-range}). Small by default
     * (/22, 1024 addresses) so that space requests and donations actually happen.
     */
    default String ipRange() {
        return "10.32.0.0/22";
    }

    /** The workload to run during the plan; asked after {@link #plan} (it may depend on its choices). */
    default WorkloadSpec workload() {
        return WorkloadSpec.DEFAULT;
    }

    /** The faults, in order, for these nodes (named n1..nN), choosing victims with {@code random}. */
    Plan plan(List<String> nodes, RandomGenerator random);
}
