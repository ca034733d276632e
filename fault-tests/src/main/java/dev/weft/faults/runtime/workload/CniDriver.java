package dev.weft.faults.runtime.workload;

import dev.weft.faults.runtime.cluster.Node;
import java.time.Duration;

/**
 * Pods through the CNI plugin, as kubelet makes them. A failed ADD counts as unknown (the router
 * may have allocated before failing; kubelet then runs DEL, and so does the worker).
 */
final class CniDriver implements PodDriver {

    private final Node node;
    private final Duration timeout;

    CniDriver(Node node, Duration timeout) {
        this.node = node;
        this.timeout = timeout;
    }

    @Override
    public Result add(String pod) {
        CniPods.Outcome o = CniPods.add(node, pod, timeout);
        return o.ok() ? new Result(Kind.OK, o.address(), null) : new Result(Kind.UNKNOWN, null, o.error());
    }

    @Override
    public Result del(String pod) {
        CniPods.Outcome o = CniPods.del(node, pod, timeout);
        return o.ok() ? new Result(Kind.OK, null, null) : new Result(Kind.UNKNOWN, null, o.error());
    }

    @Override
    public String name() {
        return "cni";
    }
}
