package dev.weft.cni.internal.server;

import dev.weft.cni.internal.spec.AttachmentId;
import dev.weft.cni.internal.spec.CniCommand;
import dev.weft.cni.internal.spec.CniException;
import dev.weft.cni.internal.spec.CniRequest;
import dev.weft.cni.internal.spec.Ipam;
import dev.weft.cni.spi.AllocationException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GC: undoes every attachment this router made that is not in {@code cni.dev/valid-attachments}
 * (host veth, Weft address, record), forwards GC to a delegated IPAM plugin, keeps going past
 * failures and reports them all at the end. Runs exclusively (no ADD or DEL meanwhile).
 */
final class GcOperation {
    private static final Logger log = LoggerFactory.getLogger(GcOperation.class);

    private final NodeContext node;

    GcOperation(NodeContext node) {
        this.node = node;
    }

    void run(CniRequest req, StringBuilder stderr) throws CniException {
        Set<AttachmentId> valid = new HashSet<>(req.config().validAttachments());
        List<String> failures = new ArrayList<>();
        int collected = 0;
        for (AttachmentRecord r : node.store().all()) {
            if (valid.contains(r.id())) {
                continue;
            }
            try {
                if (!r.hostVeth().isEmpty()) {
                    node.plumbing().unplumb(r.hostVeth());
                }
                var masqueraded = NodeContext.masqueraded(r);
                if (masqueraded.isPresent() && node.masquerade().isPresent()) {
                    node.masquerade().get().remove(masqueraded.get());
                }
                if (r.delegate().isEmpty()) {
                    node.allocator().release(r.ident());
                }
                node.store().remove(r.id());
                collected++;
            } catch (CniException | AllocationException | IOException e) {
                failures.add(r.id() + ": " + e.getMessage());
            }
        }
        if (req.config().ipam() instanceof Ipam.Delegate d) {
            try {
                node.delegates().run(d.type(), CniCommand.GC, req, stderr);
            } catch (CniException e) {
                failures.add("delegated plugin " + d.type() + ": " + e.getMessage());
            }
        }
        log.info("CNI GC released {} stale attachments, {} failures", collected, failures.size());
        if (!failures.isEmpty()) {
            throw new CniException(
                    dev.weft.cni.internal.spec.CniErrorCode.TRY_AGAIN_LATER,
                    "GC left " + failures.size() + " failure(s), the first: " + failures.get(0),
                    String.join("\n", failures));
        }
    }
}
