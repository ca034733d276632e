package dev.weft.cni.internal.server;

import dev.weft.cni.internal.spec.CniCommand;
import dev.weft.cni.internal.spec.CniErrorCode;
import dev.weft.cni.internal.spec.CniException;
import dev.weft.cni.internal.spec.CniRequest;
import dev.weft.cni.internal.spec.Ipam;
import java.util.Optional;

/**
 * STATUS: ready when the bridge is up and IPAM can hand out an address (and a delegated IPAM
 * plugin says it is ready). Code 51 when the bridge is missing (running pods are cut off too),
 * 50 when only new pods are affected.
 */
final class StatusOperation {
    private final NodeContext node;

    StatusOperation(NodeContext node) {
        this.node = node;
    }

    void run(CniRequest req, StringBuilder stderr) throws CniException {
        if (!req.ipamOnly() && node.plumbing().bridge(req.config().bridge()).isEmpty()) {
            throw new CniException(
                    CniErrorCode.NOT_AVAILABLE_LIMITED_CONNECTIVITY,
                    "bridge " + req.config().bridge() + " does not exist or is down");
        }
        if (req.config().ipam() instanceof Ipam.Delegate d) {
            node.delegates().run(d.type(), CniCommand.STATUS, req, stderr);
            return;
        }
        Optional<String> reason = node.allocator().unavailableReason();
        if (reason.isPresent()) {
            throw new CniException(CniErrorCode.NOT_AVAILABLE, "IPAM cannot allocate now: " + reason.get());
        }
    }
}
