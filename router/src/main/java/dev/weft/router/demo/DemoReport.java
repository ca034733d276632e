package dev.weft.router.demo;

import java.util.List;

/**
 * What a demo run found: the nodes (routers), their connections as each router reports them, the
 * pods and the ping between every ordered pair of pods.
 *
 * @param prefix the run's namespace prefix
 * @param encrypted whether the mesh has a password
 * @param nodes one per router, in launch order
 * @param pods every pod, grouped by node
 * @param pings one per ordered pair of distinct pods
 */
public record DemoReport(String prefix, boolean encrypted, List<Node> nodes, List<Pod> pods, List<Ping> pings) {

    public DemoReport {
        nodes = List.copyOf(nodes);
        pods = List.copyOf(pods);
        pings = List.copyOf(pings);
    }

    /**
     * A router.
     *
     * @param name its peer name
     * @param nickname its nickname
     * @param netns the node's network namespace
     * @param underlayIp its address on the underlay
     * @param pid the {@code weft launch} process
     * @param connections its connections, as it reports them
     */
    public record Node(
            String name, String nickname, String netns, String underlayIp, long pid, List<Connection> connections) {
        public Node {
            connections = List.copyOf(connections);
        }
    }

    /**
     * One connection as a router reports it.
     *
     * @param peer the peer's nickname (or name)
     * @param state {@code established}, {@code pending}, ...
     * @param overlay the overlay carrying its pod traffic ({@code sleeve}, {@code fastpath}, ...)
     * @param why why that overlay
     * @param details further attributes, e.g. {@code mtu=1392 encrypted=aes-256-gcm}
     */
    public record Connection(String peer, String state, String overlay, String why, String details) {}

    /**
     * A pod: a network namespace attached with {@code weft attach}.
     *
     * @param netns its namespace
     * @param node the index of its node
     * @param address its address with prefix length, from IPAM
     */
    public record Pod(String netns, int node, String address) {
        /** The address without the prefix length. */
        public String ip() {
            int slash = address.indexOf('/');
            return slash < 0 ? address : address.substring(0, slash);
        }
    }

    /**
     * The ping from pod {@code from} to pod {@code to} (indices into {@link #pods}).
     *
     * @param sent echo requests sent
     * @param received replies received
     * @param avgMs average round trip of the replies, milliseconds; NaN without replies
     */
    public record Ping(int from, int to, int sent, int received, double avgMs) {
        public boolean reachable() {
            return received > 0;
        }
    }

    /** Pairs with no reply. */
    public long unreachable() {
        return pings.stream().filter(p -> !p.reachable()).count();
    }
}
