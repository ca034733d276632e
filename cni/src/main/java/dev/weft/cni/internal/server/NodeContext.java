package dev.weft.cni.internal.server;

import dev.weft.cni.internal.plumbing.PodPlumbing;
import dev.weft.cni.spi.AddressAllocator;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;

/**
 * What the CNI operations work with on this node.
 *
 * @param allocator IPAM
 * @param plumbing the kernel
 * @param store the attachments made here
 * @param delegates delegated plugins
 * @param clock for allocation deadlines
 * @param allocationTimeout how long an ADD waits for IPAM before answering code 11
 */
public record NodeContext(
        AddressAllocator allocator,
        PodPlumbing plumbing,
        AttachmentStore store,
        DelegatePlugins delegates,
        InstantSource clock,
        Duration allocationTimeout) {
    public NodeContext {
        Objects.requireNonNull(allocator, "allocator");
        Objects.requireNonNull(plumbing, "plumbing");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(delegates, "delegates");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(allocationTimeout, "allocationTimeout");
    }
}
