package dev.weft.cni.internal.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.cni.internal.spec.AttachmentId;
import dev.weft.cni.internal.spec.IpPrefix;
import java.util.Objects;
import java.util.Optional;

/**
 * What the router remembers about one attachment, so that DEL and GC can undo it without the
 * runtime's help (no netns, no prevResult) and across router restarts.
 *
 * @param id the runtime's name for it
 * @param netns the netns path given at ADD
 * @param hostVeth the host end of the veth pair; empty for an IPAM-only (weft-ipam) attachment
 * @param ident the IPAM owner ident ({@link Idents})
 * @param delegate the delegated IPAM plugin's type, when addresses came from one
 * @param address the pod's address, when Weft's IPAM gave one
 * @param config the request configuration of the ADD (delegates get it again on GC)
 */
public record AttachmentRecord(
        AttachmentId id,
        String netns,
        String hostVeth,
        String ident,
        Optional<String> delegate,
        Optional<IpPrefix> address,
        ObjectNode config) {
    public AttachmentRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(netns, "netns");
        Objects.requireNonNull(hostVeth, "hostVeth");
        Objects.requireNonNull(ident, "ident");
        Objects.requireNonNull(delegate, "delegate");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(config, "config");
    }
}
