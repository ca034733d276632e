package dev.weft.cni.internal.spec;

import java.util.Optional;

/** Where an attachment's addresses come from: the router's IPAM, or a delegated plugin. */
public sealed interface Ipam {

    /**
     * The router's own IPAM (no {@code ipam} key, or {@code "type": "weft-ipam"}).
     *
     * @param subnet allocate inside this subnet instead of the default one
     */
    record Weft(Optional<IpPrefix> subnet) implements Ipam {}

    /** A delegated IPAM plugin found in {@code CNI_PATH} by its {@code type}. */
    record Delegate(String type) implements Ipam {}
}
