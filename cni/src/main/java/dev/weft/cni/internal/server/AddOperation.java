package dev.weft.cni.internal.server;

import dev.weft.cni.internal.masq.PodMasquerade;
import dev.weft.cni.internal.plumbing.PodPlumbing;
import dev.weft.cni.internal.spec.AttachmentId;
import dev.weft.cni.internal.spec.CniErrorCode;
import dev.weft.cni.internal.spec.CniException;
import dev.weft.cni.internal.spec.CniRequest;
import dev.weft.cni.internal.spec.IpPrefix;
import dev.weft.cni.internal.spec.Ipam;
import dev.weft.cni.internal.spec.Result;
import dev.weft.cni.internal.spec.ResultCodec;
import dev.weft.cni.spi.Allocation;
import java.io.IOException;
import java.net.Inet4Address;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ADD: address from IPAM, a record on disk, then the veth pair into the pod with addresses and
 * routes; the result lists bridge, host end and pod end (index 2). Anything that fails undoes
 * what came before it. Runs under the container's lock.
 */
final class AddOperation {
    private static final Logger log = LoggerFactory.getLogger(AddOperation.class);
    /** Index of the pod's interface in the result: after the bridge and the host end. */
    private static final int CONTAINER_INDEX = 2;

    private final NodeContext node;

    AddOperation(NodeContext node) {
        this.node = node;
    }

    /** Returns the result JSON for stdout. */
    String run(CniRequest req, StringBuilder stderr) throws CniException {
        AttachmentId id = req.attachment();
        if (node.store().get(id).isPresent()) {
            throw new CniException(
                    CniErrorCode.INVALID_ENVIRONMENT,
                    "container " + id.containerId() + " already has interface " + id.ifname()
                            + " (CNI_CONTAINERID, CNI_IFNAME): DEL it before adding it again");
        }
        return req.ipamOnly() ? addressOnly(req, stderr) : attach(req, stderr);
    }

    private String attach(CniRequest req, StringBuilder stderr) throws CniException {
        AttachmentId id = req.attachment();
        Path netns = req.netns().orElseThrow();
        String bridgeName = req.config().bridge();
        PodPlumbing.Bridge bridge = node.plumbing()
                .bridge(bridgeName)
                .orElseThrow(() -> new CniException(
                        CniErrorCode.TRY_AGAIN_LATER,
                        "bridge " + bridgeName + " does not exist or is down (is the router's data plane up?)"));
        String hostVeth = Idents.hostVeth(id);
        Optional<PodMasquerade> masquerade =
                req.config().ipMasq() ? Optional.of(node.masquerading()) : Optional.empty();
        AddressGrant grant = AddressGrant.acquire(node, req, stderr);
        PodPlumbing.Plumbed plumbed;
        try {
            node.store().put(record(req, hostVeth, grant));
            List<IpPrefix> addresses = new ArrayList<>();
            grant.ips().forEach(ip -> addresses.add(ip.address()));
            plumbed = node.plumbing()
                    .plumb(new PodPlumbing.Spec(
                            netns,
                            id.ifname(),
                            hostVeth,
                            bridgeName,
                            req.config().mtu(),
                            req.config().hairpin(),
                            addresses,
                            grant.routes()));
            if (masquerade.isPresent()) {
                for (IpPrefix a : addresses) {
                    if (a.address() instanceof Inet4Address v4) {
                        masquerade.get().add(v4);
                    }
                }
            }
        } catch (CniException | IOException | RuntimeException e) {
            undo(req, hostVeth, stderr);
            if (e instanceof CniException c) {
                throw c;
            }
            throw new CniException(CniErrorCode.INTERNAL, "ADD " + id + " failed", e.toString());
        }
        Optional<Integer> mtu = Optional.of(plumbed.mtu());
        List<Result.Interface> interfaces = List.of(
                new Result.Interface(
                        bridgeName,
                        Optional.of(plumbed.bridgeMac()),
                        Optional.of(bridge.mtu()),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty()),
                new Result.Interface(
                        hostVeth,
                        Optional.of(plumbed.hostMac()),
                        mtu,
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty()),
                new Result.Interface(
                        id.ifname(),
                        Optional.of(plumbed.containerMac()),
                        mtu,
                        Optional.of(netns.toString()),
                        Optional.empty(),
                        Optional.empty()));
        List<Result.IpConfig> ips = new ArrayList<>();
        for (Result.IpConfig ip : grant.ips()) {
            ips.add(new Result.IpConfig(ip.address(), ip.gateway(), Optional.of(CONTAINER_INDEX)));
        }
        Optional<Result.Dns> dns = req.config().dns().or(grant::dns);
        Result result = new Result(interfaces, ips, grant.routes(), dns);
        return render(req, result);
    }

    private String addressOnly(CniRequest req, StringBuilder stderr) throws CniException {
        AddressGrant grant = AddressGrant.acquire(node, req, stderr);
        try {
            node.store().put(record(req, "", grant));
        } catch (IOException | RuntimeException e) {
            AddressGrant.release(node, req, stderr);
            throw new CniException(CniErrorCode.INTERNAL, "recording " + req.attachment() + " failed", e.toString());
        }
        // an IPAM delegate's abbreviated result: no interfaces, no interface indices
        return ResultCodec.render(
                        new Result(List.of(), grant.ips(), grant.routes(), Optional.empty()),
                        req.config().version())
                .toString();
    }

    private static String render(CniRequest req, Result result) {
        var prev = req.config().prevResult();
        if (prev.isPresent()) {
            return ResultCodec.append(prev.get(), result, req.config().version())
                    .toString();
        }
        return ResultCodec.render(result, req.config().version()).toString();
    }

    private AttachmentRecord record(CniRequest req, String hostVeth, AddressGrant grant) {
        return new AttachmentRecord(
                req.attachment(),
                req.netns().map(Path::toString).orElse(""),
                hostVeth,
                Idents.ipamIdent(req.attachment()),
                req.config().ipam() instanceof Ipam.Delegate d ? Optional.of(d.type()) : Optional.empty(),
                grant.weftAddress(),
                req.config().raw());
    }

    /** Best effort: the runtime will still send DEL, which repeats all of this. */
    private void undo(CniRequest req, String hostVeth, StringBuilder stderr) {
        if (req.config().ipMasq()) {
            try {
                Optional<Allocation> a = node.allocator().lookup(Idents.ipamIdent(req.attachment()));
                if (a.isPresent() && a.get().address() instanceof Inet4Address v4) {
                    node.masquerading().remove(v4);
                }
            } catch (CniException e) {
                log.warn("undoing ADD {}: unmasquerading failed: {}", req.attachment(), e.getMessage());
            }
        }
        try {
            node.plumbing().unplumb(hostVeth);
        } catch (CniException e) {
            log.warn("undoing ADD {}: deleting {} failed: {}", req.attachment(), hostVeth, e.getMessage());
        }
        try {
            AddressGrant.release(node, req, stderr);
        } catch (CniException e) {
            log.warn("undoing ADD {}: releasing the address failed: {}", req.attachment(), e.getMessage());
        }
        try {
            node.store().remove(req.attachment());
        } catch (IOException e) {
            log.warn("undoing ADD {}: removing the record failed: {}", req.attachment(), e.toString());
        }
    }
}
