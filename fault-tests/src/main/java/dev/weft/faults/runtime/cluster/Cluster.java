package dev.weft.faults.runtime.cluster;

import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.utility.DockerImageName;

/**
 * N test hosts ({@link Node}s) on one Docker network, made with Testcontainers against the
 * {@link Testbed}'s engine. Closing removes the containers and the network; the engine teardown
 * removes anything a crash left behind.
 *
 * <p>Thread-safety: nodes may be used concurrently; {@link #close} once, after all work is done.
 */
public final class Cluster implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Cluster.class);

    private final ClusterSpec spec;
    private final Network network;
    private final List<GenericContainer<?>> containers;
    private final List<Node> nodes;
    private final Map<String, Node> byName;

    private Cluster(ClusterSpec spec, Network network, List<GenericContainer<?>> containers, List<Node> nodes) {
        this.spec = spec;
        this.network = network;
        this.containers = containers;
        this.nodes = List.copyOf(nodes);
        this.byName = nodes.stream().collect(Collectors.toUnmodifiableMap(Node::name, Function.identity()));
    }

    /**
     * Creates the network and starts every node (in parallel), each with its firewall chains
     * installed. Blocks until all are up; on failure removes what was started and throws.
     */
    public static Cluster start(ClusterSpec spec) {
        Network network = Network.builder()
                .createNetworkCmdModifier(cmd -> cmd.withIpam(new com.github.dockerjava.api.model.Network.Ipam()
                        .withConfig(
                                new com.github.dockerjava.api.model.Network.Ipam.Config().withSubnet(spec.subnet()))))
                .build();
        List<GenericContainer<?>> containers = new ArrayList<>();
        List<Node> nodes = new ArrayList<>();
        for (int i = 1; i <= spec.nodes(); i++) {
            String name = "n" + i;
            String ip = spec.ipOf(i);
            GenericContainer<?> c = newContainer(spec, network, name, ip);
            containers.add(c);
            nodes.add(new Node(name, ip, spec.subnet(), c, network));
        }
        Cluster cluster = new Cluster(spec, network, containers, nodes);
        try {
            CompletableFuture.allOf(nodes.stream()
                            .map(n -> CompletableFuture.runAsync(() -> cluster.boot(n)))
                            .toArray(CompletableFuture[]::new))
                    .join();
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw new IllegalStateException("cannot start the cluster: " + e.getMessage(), e);
        }
    }

    private static GenericContainer<?> newContainer(ClusterSpec spec, Network network, String name, String ip) {
        @SuppressWarnings("resource") // closed by Cluster.close
        GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(spec.image()))
                .withNetwork(network)
                .withNetworkAliases(name)
                .withCommand("sleep", "infinity")
                .withCreateContainerCmdModifier(cmd -> {
                    cmd.withName(spec.containerPrefix() + name)
                            .withHostName(name)
                            .withIpv4Address(ip);
                    HostConfig hc = cmd.getHostConfig();
                    spec.privileges().applyTo(hc);
                    hc.withInit(true); // reaps the router after kill -9
                    // Binds set here, not with withFileSystemBind: that makes Testcontainers check
                    // file mounting by running an alpine image, which cannot be pulled here.
                    hc.withBinds(
                            new Bind(
                                    spec.jdkHome().toString(),
                                    new Volume(spec.jdkHome().toString()),
                                    AccessMode.ro),
                            new Bind(spec.weftHome().toString(), new Volume(ClusterSpec.WEFT_MOUNT), AccessMode.ro));
                    LOG.debug("node {}: {}", name, hc);
                });
        return c;
    }

    private void boot(Node n) {
        containerOf(n).start();
        for (String m : spec.privileges().remounts()) {
            n.exec(Duration.ofSeconds(20), "mount", "-o", "remount,rw", m).check(n.name());
        }
        n.firewall().install();
        // Every host has its own machine id (systemd writes one on first boot); the image has none.
        n.sh(Duration.ofSeconds(10), "od -An -N16 -tx1 /dev/urandom | tr -d ' \\n' > /etc/machine-id")
                .check(n.name());
    }

    private GenericContainer<?> containerOf(Node n) {
        return containers.get(nodes.indexOf(n));
    }

    public ClusterSpec spec() {
        return spec;
    }

    /** The nodes, n1..nN. */
    public List<Node> nodes() {
        return nodes;
    }

    /** The node called {@code name}. */
    public Node node(String name) {
        Node n = byName.get(name);
        if (n == null) {
            throw new IllegalArgumentException("no node " + name + " (have " + byName.keySet() + ")");
        }
        return n;
    }

    /** Removes the node's container for good (node removal); the other nodes are untouched. */
    public void destroy(Node n) {
        containerOf(n).stop();
    }

    /** Stops and removes every container and the network. Idempotent; failures are logged. */
    @Override
    public void close() {
        for (GenericContainer<?> c : containers) {
            try {
                c.stop();
            } catch (RuntimeException e) {
                LOG.warn("cannot remove container {}: {}", c.getContainerName(), e.getMessage());
            }
        }
        try {
            network.close();
        } catch (RuntimeException e) {
            LOG.warn("cannot remove network: {}", e.getMessage());
        }
    }
}
