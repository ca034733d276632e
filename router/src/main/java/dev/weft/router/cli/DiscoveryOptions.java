package dev.weft.router.cli;

import dev.weft.gossip.runtime.ScalecubeMembership;
import dev.weft.gossip.spi.Membership;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * {@code weft launch}'s membership options (a picocli mixin): {@code --discovery mesh} (default:
 * peers are found through the mesh's own topology only) or {@code --discovery scalecube}, which
 * also runs scalecube-cluster (SWIM) on {@code --membership-port}, joined through the membership
 * ports of the hosts in the peer list, for discovery and liveness hints. scalecube 2.7.7 binds
 * every interface (it has no bind address): firewall that port to node addresses.
 */
final class DiscoveryOptions {

    /** Weft's default membership port. */
    static final int DEFAULT_MEMBERSHIP_PORT = 6785;

    enum Mode {
        mesh,
        scalecube
    }

    @CommandLine.Option(
            names = "--discovery",
            defaultValue = "${env:WEFT_DISCOVERY:-mesh}",
            description = "how peers are found besides the peer list: mesh (the topology; default) or"
                    + " scalecube (also SWIM membership on --membership-port, seeded with the peer list's"
                    + " hosts; binds all interfaces) (env WEFT_DISCOVERY)")
    Mode mode = Mode.mesh;

    @CommandLine.Option(
            names = "--membership-port",
            defaultValue = "${env:WEFT_MEMBERSHIP_PORT:-" + DEFAULT_MEMBERSHIP_PORT + "}",
            description = "TCP port of scalecube membership, the same on every node (env WEFT_MEMBERSHIP_PORT;"
                    + " default ${DEFAULT-VALUE})")
    int port = DEFAULT_MEMBERSHIP_PORT;

    @CommandLine.Option(
            names = "--membership-namespace",
            defaultValue = "${env:WEFT_MEMBERSHIP_NAMESPACE:-weft}",
            description = "scalecube namespace: clusters with different namespaces never merge (env"
                    + " WEFT_MEMBERSHIP_NAMESPACE; default ${DEFAULT-VALUE})")
    String namespace = "weft";

    /**
     * The membership to start with the mesh: null for {@code mesh}, else scalecube seeded with the
     * membership port of every host in {@code peers} ({@code host} or {@code host:port}).
     *
     * @throws IllegalArgumentException for a bad port or namespace
     */
    Membership membership(List<String> peers) {
        if (mode == Mode.mesh) {
            return null;
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("--membership-port out of range: " + port);
        }
        if (namespace == null || namespace.isBlank()) {
            throw new IllegalArgumentException("--membership-namespace must not be empty");
        }
        return new ScalecubeMembership(ScalecubeMembership.Settings.of(port, seeds(peers, port), namespace.strip()));
    }

    /** {@code host:membershipPort} for every peer entry (IPv6 hosts bracketed). */
    static List<String> seeds(List<String> peers, int membershipPort) {
        List<String> out = new ArrayList<>();
        for (String p : peers) {
            String s = p.strip();
            String host;
            if (s.startsWith("[")) {
                int end = s.indexOf(']');
                host = end < 0 ? s : s.substring(0, end + 1);
            } else if (s.indexOf(':') == s.lastIndexOf(':') && s.indexOf(':') >= 0) {
                host = s.substring(0, s.indexOf(':'));
            } else if (s.indexOf(':') >= 0) {
                host = "[" + s + "]"; // a bare IPv6 literal
            } else {
                host = s;
            }
            if (!host.isEmpty() && !out.contains(host + ":" + membershipPort)) {
                out.add(host + ":" + membershipPort);
            }
        }
        return out;
    }
}
