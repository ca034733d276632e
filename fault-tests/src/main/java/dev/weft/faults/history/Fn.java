package dev.weft.faults.history;

/**
 * The operation and fault kinds a history may contain, with the shapes of their values. The
 * checkers rely on these shapes; the workload and nemesis write them.
 */
public final class Fn {

    private Fn() {}

    /** Give {@code pod} an address on {@code node}. OK value: the address as text, e.g. {@code "10.32.0.5/12"}. */
    public static final String ALLOCATE = "allocate";

    /** Free {@code pod}'s address on {@code node}. OK value: null. */
    public static final String RELEASE = "release";

    /**
     * Read every pod address {@code node} holds. OK value: an object pod -> address text. Used after
     * restarts and at the end to see what survived.
     */
    public static final String READ = "read";

    /**
     * From pod {@code pod} on {@code node}, ping another pod. Invoke value: {@code {"to": pod,
     * "toNode": node, "addr": "10.32.0.7"}}. OK: reached; FAIL: not reached.
     */
    public static final String PROBE = "probe";

    /**
     * Ask {@code node} for the mesh topology as it sees it. OK value: an object peer -> sorted array
     * of the peers it has established connections to, keyed by node name.
     */
    public static final String TOPOLOGY = "topology";

    /**
     * Ask {@code node} who owns the address ring. OK value: {@code {"owners": {nodeName: addresses,
     * ...}}}, owners keyed by node name (peers the harness cannot name appear by peer name).
     */
    public static final String RING = "ring";

    /** Learn {@code node}'s router peer name. OK value: {@code {"peer": name}}. */
    public static final String IDENTIFY = "identify";

    /** {@code weft rmpeer} run on {@code node} for a removed peer (value: {@code {"peer": name}}). */
    public static final String RMPEER = "rmpeer";

    // Faults (nemesis events).

    /** Nodes split into sides that cannot reach each other (value: the sides). */
    public static final String PARTITION = "partition";

    /** Nodes taken off the network altogether (docker network disconnect). */
    public static final String ISOLATE = "isolate";

    /** Packets in one direction only dropped between nodes (value: "a->b"). */
    public static final String CUT = "cut";

    /** Random loss of incoming packets on the affected nodes (value: the probability). */
    public static final String LOSS = "loss";

    /** The router killed with SIGKILL; its stop event marks the restart. */
    public static final String KILL = "kill";

    /** The router stopped with SIGSTOP; its stop event marks SIGCONT. */
    public static final String PAUSE = "pause";

    /** A node removed for good: from the start event on, its pods are gone. */
    public static final String REMOVE = "remove";

    /**
     * The final heal: every fault undone. Checks of convergence and reachability measure from this
     * event's start.
     */
    public static final String HEAL = "heal";
}
