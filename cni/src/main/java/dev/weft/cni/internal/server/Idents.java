package dev.weft.cni.internal.server;

import dev.weft.cni.internal.spec.AttachmentId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Names derived from an attachment: its IPAM ident, host veth and file key. */
public final class Idents {
    /** The interface name the pod usually gets; its IPAM ident is the bare container ID. */
    public static final String DEFAULT_IFNAME = "eth0";
    /** Host veth names: this prefix and 9 hex digits of the key, 15 bytes (IFNAMSIZ - 1). */
    public static final String HOST_VETH_PREFIX = "vethwe";

    private Idents() {}

    /** The IPAM ident: the container ID for eth0, {@code <containerID>:<ifname>} otherwise. */
    public static String ipamIdent(AttachmentId id) {
        return id.ifname().equals(DEFAULT_IFNAME) ? id.containerId() : id.containerId() + ":" + id.ifname();
    }

    /** The host end's name: stable per attachment, so DEL finds it without the netns. */
    public static String hostVeth(AttachmentId id) {
        return HOST_VETH_PREFIX + key(id).substring(0, 9);
    }

    /** 64 hex digits identifying the attachment (SHA-256 of container ID, NUL, ifname). */
    public static String key(AttachmentId id) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(id.containerId().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(id.ifname().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
