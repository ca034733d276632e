package dev.weft.cni.internal.spec;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * The request configuration the runtime sent on stdin, validated.
 *
 * @param version the selected spec version; results and errors are rendered in it
 * @param name the network name
 * @param bridge the bridge host-side veths join, default {@code weft}
 * @param mtu MTU for both veth ends, bytes; empty: the bridge's MTU
 * @param hairpin hairpin mode on the bridge port (a pod can reach itself via a Service), default true
 * @param ipMasq masquerade the pod's traffic leaving the cluster (needs Weft's IPAM), default false
 * @param ipam where addresses come from
 * @param dns resolver settings to report in the result
 * @param prevResult the previous plugin's (ADD) or final (CHECK, DEL) result, as sent
 * @param validAttachments GC only: {@code cni.dev/valid-attachments}
 * @param requestedAddress an address asked for through {@code args.cni.ips}, {@code runtimeConfig.ips}
 *     or {@code CNI_ARGS IP=}
 * @param raw the whole configuration as received (passed to delegates unchanged); do not mutate
 */
public record PluginConfig(
        CniVersion version,
        String name,
        String bridge,
        Optional<Integer> mtu,
        boolean hairpin,
        boolean ipMasq,
        Ipam ipam,
        Optional<Result.Dns> dns,
        Optional<ObjectNode> prevResult,
        List<AttachmentId> validAttachments,
        Optional<InetAddress> requestedAddress,
        ObjectNode raw) {

    public PluginConfig {
        validAttachments = List.copyOf(validAttachments);
    }
}
