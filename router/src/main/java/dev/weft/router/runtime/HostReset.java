package dev.weft.router.runtime;

import dev.weft.cni.api.CniConfig;
import dev.weft.cni.runtime.CniHostState;
import dev.weft.fastpath.api.FastPathConfig;
import dev.weft.fastpath.runtime.FastPathRuntime;
import dev.weft.ipam.runtime.IpamRuntime;
import dev.weft.linux.api.KernelException;
import dev.weft.linux.api.RtNetlink;
import dev.weft.router.internal.dataplane.DataPlaneConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code weft reset}: removes what {@code weft launch} leaves on the host after the router stops
 * (on purpose: pods keep their network while it restarts). In this order: the fast path's
 * datapath and devices, sleeve's TAP, the bridge (pods attached to it lose the network), the CNI
 * configuration, plugin, socket and masquerade table; with {@code data}, also IPAM's store and the
 * CNI records and DEL queue. The peer name stays, so a router launched again is the same peer and
 * relearns its address ranges from the others instead of leaving them to an unknown owner.
 */
public final class HostReset {
    private HostReset() {}

    /**
     * Removes it all from the calling thread's network namespace and file system. Must not run
     * while a router uses them (the caller checks). Idempotent; blocks for netlink, files and
     * {@code nft}. Returns what was removed, one line each (empty: nothing was there).
     *
     * @throws IOException naming what could not be removed; everything else is removed first
     */
    public static List<String> run(DataPlaneConfig dataPlane, CniConfig cni, Path dataDir, boolean data)
            throws IOException {
        List<String> removed = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        try {
            removed.addAll(FastPathRuntime.removeDevices(
                    dataPlane.fastPath().orElse(FastPathConfig.defaults().withBridge(dataPlane.bridge()))));
        } catch (KernelException e) {
            failed.add("the fast path's devices: " + e.getMessage());
        }
        try (RtNetlink rt = RtNetlink.open()) {
            for (String name : List.of(dataPlane.sleeve().tapName(), dataPlane.bridge())) {
                try {
                    if (rt.links().deleteIfExists(name)) {
                        removed.add("device " + name);
                    }
                } catch (KernelException e) {
                    failed.add("device " + name + ": " + e.getMessage());
                }
            }
        }
        try {
            removed.addAll(CniHostState.remove(cni, data));
        } catch (IOException e) {
            failed.add(e.getMessage());
        }
        if (data) {
            String store = IpamRuntime.STORE_FILE;
            for (String name : List.of(store, store + "-wal", store + "-shm")) {
                Path p = dataDir.resolve(name);
                try {
                    if (Files.deleteIfExists(p)) {
                        removed.add("file " + p);
                    }
                } catch (IOException e) {
                    failed.add(p + ": " + e);
                }
            }
        }
        if (!failed.isEmpty()) {
            throw new IOException("could not remove " + String.join("; ", failed));
        }
        return removed;
    }
}
