package dev.weft.cni.internal.server;

import dev.weft.cni.internal.masq.PodMasquerade;
import dev.weft.cni.internal.plumbing.PodPlumbing;
import dev.weft.cni.internal.spec.CniErrorCode;
import dev.weft.cni.internal.spec.CniException;
import dev.weft.cni.spi.AddressAllocator;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;

/**
 * What the CNI operations work with on this node.
 *
 * @param allocator IPAM
 * @param plumbing the kernel
 * @param store the attachments made here
 * @param delegates delegated plugins
 * @param clock for allocation deadlines
 * @param allocationTimeout how long an ADD waits for IPAM before answering code 11
 * @param masquerade source NAT for pods with {@code ipMasq: true}; empty: such pods are refused
 */
public record NodeContext(
        AddressAllocator allocator,
        PodPlumbing plumbing,
        AttachmentStore store,
        DelegatePlugins delegates,
        InstantSource clock,
        Duration allocationTimeout,
        Optional<PodMasquerade> masquerade) {
    public NodeContext {
        Objects.requireNonNull(allocator, "allocator");
        Objects.requireNonNull(plumbing, "plumbing");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(delegates, "delegates");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(allocationTimeout, "allocationTimeout");
        Objects.requireNonNull(masquerade, "masquerade");
    }

    /**
     * The masquerade for a pod whose configuration says {@code ipMasq: true}.
     *
     * @throws CniException code 7 when this node has no cluster range to masquerade against
     */
    PodMasquerade masquerading() throws CniException {
        return masquerade.orElseThrow(() -> new CniException(
                CniErrorCode.INVALID_NETWORK_CONFIG,
                "ipMasq: true, but this router masquerades nothing (it has no cluster range; weft launch sets one)"));
    }

    /** The IPv4 address of {@code record} that ipMasq applies to, if it was masqueraded. */
    public static Optional<java.net.Inet4Address> masqueraded(AttachmentRecord record) {
        if (!record.config().path("ipMasq").asBoolean(false)) {
            return Optional.empty();
        }
        return record.address()
                .map(dev.weft.cni.internal.spec.IpPrefix::address)
                .filter(a -> a instanceof java.net.Inet4Address)
                .map(a -> (java.net.Inet4Address) a);
    }
}
