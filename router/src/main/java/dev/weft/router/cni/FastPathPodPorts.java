package dev.weft.router.cni;

import dev.weft.cni.spi.PodPorts;
import dev.weft.fastpath.api.FastPath;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * CNI's {@link PodPorts} over the router's kernel fast path: pods' host veths are plugged into it
 * when it takes pods (the ODP driver), else they stay on the bridge (the VXLAN driver, or no fast
 * path). The fast path is looked up at each call (the data plane starts it before CNI serves).
 * Thread-safe; blocks as {@link FastPath#attachPod} does.
 */
public final class FastPathPodPorts implements PodPorts {
    private final Supplier<Optional<FastPath>> fastPath;

    public FastPathPodPorts(Supplier<Optional<FastPath>> fastPath) {
        this.fastPath = fastPath;
    }

    @Override
    public boolean plug(String hostVeth) {
        Optional<FastPath> fp = fastPath.get();
        return fp.isPresent() && fp.get().attachPod(hostVeth);
    }

    @Override
    public boolean unplug(String hostVeth) {
        Optional<FastPath> fp = fastPath.get();
        return fp.isPresent() && fp.get().detachPod(hostVeth);
    }

    @Override
    public boolean isPlugged(String hostVeth) {
        Optional<FastPath> fp = fastPath.get();
        return fp.isPresent() && fp.get().hasPod(hostVeth);
    }

    @Override
    public String toString() {
        return fastPath.get().map(f -> "fast path " + f.driver()).orElse("bridge");
    }
}
