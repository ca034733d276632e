package dev.weft.cni.internal.server;

import dev.weft.cni.internal.spec.AttachmentId;
import dev.weft.cni.internal.spec.CniErrorCode;
import dev.weft.cni.internal.spec.CniException;
import dev.weft.cni.internal.spec.CniRequest;
import dev.weft.cni.internal.spec.Ipam;
import java.io.IOException;
import java.net.Inet4Address;
import java.util.Optional;

/**
 * DEL: deletes the host end of the veth (the pod end goes with it; a vanished netns took both
 * already), releases the address and forgets the attachment. Needs neither the netns nor
 * prevResult, and succeeds when everything is already gone, so it may be repeated and queued.
 * Runs under the container's lock.
 */
final class DelOperation {
    private final NodeContext node;

    DelOperation(NodeContext node) {
        this.node = node;
    }

    void run(CniRequest req, StringBuilder stderr) throws CniException {
        AttachmentId id = req.attachment();
        Optional<AttachmentRecord> record = node.store().get(id);
        if (!req.ipamOnly()) {
            node.plumbing()
                    .unplumb(record.map(AttachmentRecord::hostVeth)
                            .filter(v -> !v.isEmpty())
                            .orElse(Idents.hostVeth(id)));
        }
        Optional<Inet4Address> masqueraded = record.isPresent()
                ? NodeContext.masqueraded(record.get())
                : req.config().ipMasq()
                        ? node.allocator()
                                .lookup(Idents.ipamIdent(id))
                                .map(a -> a.address() instanceof Inet4Address v4 ? v4 : null)
                        : Optional.empty();
        if (masqueraded.isPresent() && node.masquerade().isPresent()) {
            node.masquerade().get().remove(masqueraded.get());
        }
        // the IPAM that ADD used, as recorded; without a record, the one this config names
        Ipam ipam = record.map(r -> r.delegate().<Ipam>map(Ipam.Delegate::new).orElse(new Ipam.Weft(Optional.empty())))
                .orElse(req.config().ipam());
        AddressGrant.release(node, ipam, Idents.ipamIdent(id), req, stderr);
        try {
            node.store().remove(id);
        } catch (IOException e) {
            throw new CniException(CniErrorCode.INTERNAL, "forgetting attachment " + id + " failed", e.toString());
        }
    }
}
