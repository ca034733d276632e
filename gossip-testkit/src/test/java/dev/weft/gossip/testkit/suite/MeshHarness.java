package dev.weft.gossip.testkit.suite;

import dev.weft.gossip.api.Mesh;
import dev.weft.gossip.api.MeshConfig;
import dev.weft.gossip.api.PeerName;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/**
 * What the behaviour suites need from a mesh implementation: the simulator or Netty over loopback
 * (Netty's testsuite idea: one suite, several transports).
 */
public interface MeshHarness extends AutoCloseable {

    /** A peer of the harness. */
    interface Node {
        Mesh mesh();

        default PeerName name() {
            return mesh().name();
        }

        /** host:port to dial it at. */
        String address();
    }

    /** Starts a peer. */
    Node add(PeerName name, UnaryOperator<MeshConfig> config);

    /** {@code from} dials {@code to}. */
    default void connect(Node from, Node to) {
        List<String> bad = from.mesh().connect(List.of(to.address()), false);
        if (!bad.isEmpty()) {
            throw new IllegalStateException(bad.toString());
        }
    }

    /** Runs (virtual or real time) until {@code condition} holds or {@code limit} passes. */
    boolean await(BooleanSupplier condition, Duration limit);

    /** Lets the system run for {@code d} (virtual or real). */
    void run(Duration d);

    /** Stops {@code n} and starts a new incarnation: same name and address, new UID. */
    Node restart(Node n);

    /** The seed that replays this run (simulator), or 0. */
    long seed();

    /** A scaling factor for real-time limits (1 in the simulator). */
    default int slowness() {
        return 1;
    }

    @Override
    void close();
}
