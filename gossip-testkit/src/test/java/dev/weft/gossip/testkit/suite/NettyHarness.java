package dev.weft.gossip.testkit.suite;

import dev.weft.gossip.api.Mesh;
import dev.weft.gossip.api.MeshConfig;
import dev.weft.gossip.api.PeerName;
import dev.weft.gossip.runtime.MeshRuntime;
import dev.weft.gossip.runtime.RealEnvironment;
import dev.weft.gossip.spi.NullOverlay;
import dev.weft.gossip.testkit.Simulation;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/** The behaviour suites on the real Netty transport over loopback (encrypted), real time. */
public final class NettyHarness implements MeshHarness {

    private final RealEnvironment env = new RealEnvironment(2);
    private final List<Mesh> meshes = new ArrayList<>();
    private final Map<PeerName, Integer> ports = new ConcurrentHashMap<>();
    private final Map<PeerName, UnaryOperator<MeshConfig>> configs = new ConcurrentHashMap<>();
    private final byte[] password = "behaviour-suite".getBytes(StandardCharsets.UTF_8);
    private final long seed = chooseSeed();

    /** The seed of the suite's random choices (join orders): from -Dweft.seed or fresh, printed. */
    private static long chooseSeed() {
        String p = System.getProperty(Simulation.SEED_PROPERTY);
        long s = p != null && !p.isBlank() ? Long.parseLong(p.strip()) : new SecureRandom().nextLong();
        System.err.println("behaviour suite (netty) seed=" + s + " (replay the choices with -D"
                + Simulation.SEED_PROPERTY + "=" + s + "; real timing is not replayed)");
        return s;
    }

    record NettyNode(Mesh mesh, int port) implements Node {
        @Override
        public String address() {
            return "127.0.0.1:" + port;
        }
    }

    @Override
    public synchronized Node add(PeerName name, UnaryOperator<MeshConfig> config) {
        return start(name, config, 0);
    }

    private Node start(PeerName name, UnaryOperator<MeshConfig> config, int port) {
        // Short backoff so a suite does not wait minutes for retries in real time.
        MeshConfig c = config.apply(MeshConfig.defaults(name, "n" + (meshes.size() + 1))
                .withBackoff(Duration.ofMillis(200), 1.5, Duration.ofSeconds(2), Duration.ofSeconds(5))
                .withGossipInterval(Duration.ofSeconds(5)));
        Mesh m = MeshRuntime.start(
                c,
                MeshRuntime.Options.of(new InetSocketAddress("127.0.0.1", port), password),
                new NullOverlay(),
                null,
                env,
                List.of());
        meshes.add(m);
        int bound = m.status().listenAddress().getPort();
        ports.put(name, bound);
        configs.put(name, config);
        return new NettyNode(m, bound);
    }

    @Override
    public boolean await(BooleanSupplier condition, Duration limit) {
        long end = System.nanoTime() + limit.toNanos() * slowness();
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return true;
            }
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return condition.getAsBoolean();
    }

    @Override
    public void run(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized Node restart(Node n) {
        n.mesh().close();
        return start(n.name(), configs.get(n.name()), ((NettyNode) n).port());
    }

    @Override
    public long seed() {
        return seed;
    }

    @Override
    public int slowness() {
        return 3; // real sockets on a shared, busy machine
    }

    @Override
    public synchronized void close() {
        meshes.forEach(Mesh::close);
        env.close();
    }
}
