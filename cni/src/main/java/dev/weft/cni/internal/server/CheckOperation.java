package dev.weft.cni.internal.server;

import dev.weft.cni.internal.masq.NftMasquerade;
import dev.weft.cni.internal.masq.PodMasquerade;
import dev.weft.cni.internal.plumbing.PodPlumbing;
import dev.weft.cni.internal.spec.AttachmentId;
import dev.weft.cni.internal.spec.CniCommand;
import dev.weft.cni.internal.spec.CniErrorCode;
import dev.weft.cni.internal.spec.CniException;
import dev.weft.cni.internal.spec.CniRequest;
import dev.weft.cni.internal.spec.IpPrefix;
import dev.weft.cni.internal.spec.Ipam;
import dev.weft.cni.internal.spec.Result;
import dev.weft.cni.internal.spec.ResultCodec;
import dev.weft.cni.spi.Allocation;
import java.net.Inet4Address;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * CHECK: verifies the attachment against prevResult (the runtime's final ADD result, which
 * already includes whatever later plugins changed): the pod interface with its MAC, MTU and
 * addresses, the routes, the host end on the bridge, and the address reservation in IPAM.
 * Runs under the container's lock.
 */
final class CheckOperation {
    private final NodeContext node;

    CheckOperation(NodeContext node) {
        this.node = node;
    }

    void run(CniRequest req, StringBuilder stderr) throws CniException {
        AttachmentId id = req.attachment();
        AttachmentRecord record = node.store()
                .get(id)
                .orElseThrow(() -> new CniException(
                        CniErrorCode.UNKNOWN_CONTAINER,
                        "weft has no attachment " + id + " (was it added, or deleted?)"));
        if (req.ipamOnly()) {
            // as an IPAM delegate: the reservation is what there is to check; prevResult is optional
            Optional<Result> prev = req.config().prevResult().isPresent()
                    ? Optional.of(ResultCodec.parse(req.config().prevResult().get(), "prevResult"))
                    : Optional.empty();
            checkIpam(req, record, prev, stderr);
            return;
        }
        Result prev = ResultCodec.parse(
                req.config()
                        .prevResult()
                        .orElseThrow(() -> new CniException(
                                CniErrorCode.INVALID_NETWORK_CONFIG, "CHECK needs prevResult (the result of ADD)")),
                "prevResult");
        checkIpam(req, record, Optional.of(prev), stderr);
        Path netns = req.netns().orElseThrow();
        int index = -1;
        for (int i = 0; i < prev.interfaces().size(); i++) {
            Result.Interface itf = prev.interfaces().get(i);
            if (itf.name().equals(id.ifname()) && itf.sandbox().equals(Optional.of(netns.toString()))) {
                index = i;
            }
        }
        if (index < 0) {
            throw new CniException(
                    CniErrorCode.CHECK_FAILED, "prevResult lists no interface " + id.ifname() + " in sandbox " + netns);
        }
        List<IpPrefix> addresses = new ArrayList<>();
        for (Result.IpConfig ip : prev.ips()) {
            if (ip.interfaceIndex().isEmpty() || ip.interfaceIndex().get() == index) {
                addresses.add(ip.address());
            }
        }
        Result.Interface itf = prev.interfaces().get(index);
        node.plumbing()
                .check(
                        new PodPlumbing.Spec(
                                netns,
                                id.ifname(),
                                record.hostVeth(),
                                req.config().bridge(),
                                itf.mtu(),
                                req.config().hairpin(),
                                addresses,
                                prev.routes()),
                        new PodPlumbing.Expected(itf.mac(), itf.mtu()));
        if (req.config().ipMasq()) {
            PodMasquerade masquerade = node.masquerading();
            for (IpPrefix a : addresses) {
                if (a.address() instanceof Inet4Address v4 && !masquerade.covers(v4)) {
                    throw new CniException(
                            CniErrorCode.CHECK_FAILED,
                            "ipMasq: " + v4.getHostAddress() + " is not masqueraded (missing from nftables set ip "
                                    + NftMasquerade.TABLE + " " + NftMasquerade.SET + ")");
                }
            }
        }
    }

    private void checkIpam(CniRequest req, AttachmentRecord record, Optional<Result> prev, StringBuilder stderr)
            throws CniException {
        if (req.config().ipam() instanceof Ipam.Delegate d) {
            node.delegates().run(d.type(), CniCommand.CHECK, req, stderr);
            return;
        }
        Optional<Allocation> owned = node.allocator().lookup(record.ident());
        if (owned.isEmpty()) {
            throw new CniException(
                    CniErrorCode.CHECK_FAILED, "IPAM holds no address for " + record.ident() + " any more");
        }
        var address = owned.get().address();
        boolean listed = prev.isEmpty()
                || prev.get().ips().stream()
                        .anyMatch(ip -> ip.address().address().equals(address));
        if (!listed) {
            throw new CniException(
                    CniErrorCode.CHECK_FAILED,
                    "IPAM gives " + record.ident() + " address " + address.getHostAddress()
                            + ", which prevResult does not list");
        }
    }
}
