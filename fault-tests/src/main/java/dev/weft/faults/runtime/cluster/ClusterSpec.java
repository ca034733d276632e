package dev.weft.faults.runtime.cluster;

import java.nio.file.Path;

/**
 * How to make the test hosts.
 *
 * @param nodes how many nodes (default 5), named n1..nN
 * @param image the node image tag (see {@code NodeImage})
 * @param subnet24 the first three octets of the cluster network's /24 (nodes get .11, .12, ...);
 *     it lives inside the engine's own namespace, so it cannot clash with the machine's networks
 * @param containerPrefix prefixed to the node names to name the containers (unique per cluster)
 * @param jdkHome the JDK bind-mounted read-only at the same path in every node
 * @param weftHome the Weft checkout (with built jars) bind-mounted read-only at {@link #WEFT_MOUNT}
 * @param privileges what the node containers may do
 */
public record ClusterSpec(
        int nodes,
        String image,
        String subnet24,
        String containerPrefix,
        Path jdkHome,
        Path weftHome,
        NodePrivileges privileges) {

    /** Where the checkout appears inside every node. */
    public static final String WEFT_MOUNT = "/opt/weft";

    public ClusterSpec {
        if (nodes < 1 || nodes > 200) {
            throw new IllegalArgumentException("nodes must be 1..200: " + nodes);
        }
        if (!subnet24.matches("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}")) {
            throw new IllegalArgumentException("subnet24 must be three octets like 10.77.0: " + subnet24);
        }
        jdkHome = jdkHome.toAbsolutePath().normalize();
        weftHome = weftHome.toAbsolutePath().normalize();
    }

    /** The cluster network in CIDR notation. */
    public String subnet() {
        return subnet24 + ".0/24";
    }

    /** The address of node {@code i} (1-based). */
    public String ipOf(int i) {
        return subnet24 + "." + (10 + i);
    }
}
