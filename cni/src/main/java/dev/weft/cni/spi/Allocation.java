package dev.weft.cni.spi;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * An address IPAM gave an ident.
 *
 * @param address the pod's address
 * @param prefixLength the prefix length of the pod network the address belongs to (e.g. 12 for
 *     Weave's default 10.32.0.0/12): the pod gets {@code address/prefixLength} on its interface
 * @param gateway where the pod's default route points (the bridge's address), if the network
 *     has one; empty: no default route, only the on-link pod network
 */
public record Allocation(InetAddress address, int prefixLength, Optional<InetAddress> gateway) {
    public Allocation {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(gateway, "gateway");
        int max = address.getAddress().length * 8;
        if (prefixLength < 0 || prefixLength > max) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " for " + address);
        }
    }
}
