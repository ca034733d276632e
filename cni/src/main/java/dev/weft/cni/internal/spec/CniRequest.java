package dev.weft.cni.internal.spec;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A validated CNI invocation.
 *
 * @param command the verb
 * @param ipamOnly invoked as {@code weft-ipam}: an IPAM delegate's abbreviated answer is wanted
 * @param containerId {@code CNI_CONTAINERID}; empty for GC and STATUS
 * @param netns {@code CNI_NETNS}; empty when unset (allowed for DEL, GC, STATUS)
 * @param ifname {@code CNI_IFNAME}; empty for GC and STATUS
 * @param args {@code CNI_ARGS} pairs, in order
 * @param cniPath {@code CNI_PATH} directories, in order (where delegates are looked up)
 * @param env the raw CNI environment, passed to delegates unchanged
 * @param config the validated configuration
 */
public record CniRequest(
        CniCommand command,
        boolean ipamOnly,
        String containerId,
        Optional<Path> netns,
        String ifname,
        Map<String, String> args,
        List<Path> cniPath,
        Map<String, String> env,
        PluginConfig config) {

    public CniRequest {
        args = Map.copyOf(args);
        cniPath = List.copyOf(cniPath);
        env = Map.copyOf(env);
    }

    /** The attachment this request is about (ADD, DEL, CHECK). */
    public AttachmentId attachment() {
        return new AttachmentId(containerId, ifname);
    }
}
