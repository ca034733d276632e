package dev.weft.cni.internal.spec;

import java.util.Objects;

/** An attachment as the runtime names it: container ID and interface name in its netns. */
public record AttachmentId(String containerId, String ifname) {
    public AttachmentId {
        Objects.requireNonNull(containerId, "containerId");
        Objects.requireNonNull(ifname, "ifname");
    }

    @Override
    public String toString() {
        return containerId + "/" + ifname;
    }
}
