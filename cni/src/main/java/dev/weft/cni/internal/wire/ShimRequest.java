package dev.weft.cni.internal.wire;

import java.util.Objects;

/**
 * One invocation of the shim as the router receives it: the CNI environment variables (empty
 * string when unset or empty, as libcni's skeleton treats them) and the bytes of stdin.
 *
 * @param ipamOnly the shim was invoked as {@code weft-ipam}: answer as an IPAM delegate
 * @param config the network configuration read from stdin; owned by this record, not copied
 */
public record ShimRequest(
        boolean ipamOnly,
        String command,
        String containerId,
        String netns,
        String ifname,
        String args,
        String path,
        byte[] config) {

    public ShimRequest {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(containerId, "containerId");
        Objects.requireNonNull(netns, "netns");
        Objects.requireNonNull(ifname, "ifname");
        Objects.requireNonNull(args, "args");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(config, "config");
    }
}
