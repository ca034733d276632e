package dev.weft.faults.runtime.image;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * How a node's root filesystem is made: {@code debootstrap --variant=VARIANT --include=PACKAGES
 * SUITE}, then the paths in {@code trim} are deleted. The JDK and Weft's jars are not in it: they
 * are bind-mounted read-only when a node starts, so the image changes only when this recipe does.
 *
 * @param suite the Debian suite, e.g. {@code bookworm}
 * @param variant the debootstrap variant, e.g. {@code minbase}
 * @param packages extra packages a node needs (tools the harness runs inside nodes)
 * @param trim paths (relative to the root, shell globs) deleted after bootstrapping
 */
public record NodeImageRecipe(String suite, String variant, List<String> packages, List<String> trim) {

    /** Bumped whenever the build steps change in a way the fields above do not show. */
    static final int STEPS_VERSION = 1;

    /**
     * What every node needs: ip, iptables (partitions, loss), nft (the router's pod masquerade,
     * on by default), ping (probes), ps/kill, curl (HTTP API).
     */
    public static final NodeImageRecipe DEFAULT = new NodeImageRecipe(
            "bookworm",
            "minbase",
            List.of("iproute2", "iptables", "nftables", "iputils-ping", "procps", "curl"),
            List.of(
                    "var/cache/apt/archives/*.deb",
                    "var/lib/apt/lists/*",
                    "usr/share/doc",
                    "usr/share/man",
                    "usr/share/locale"));

    public NodeImageRecipe {
        packages = List.copyOf(packages);
        trim = List.copyOf(trim);
        for (String t : trim) {
            if (t.startsWith("/") || t.contains("..")) {
                throw new IllegalArgumentException("trim paths are relative to the root and stay inside it: " + t);
            }
        }
    }

    /** A digest of everything that decides the image's content: the cache key. 12 hex digits. */
    public String key() {
        String canonical = String.join(
                "\n",
                "steps=" + STEPS_VERSION,
                "suite=" + suite,
                "variant=" + variant,
                "packages=" + String.join(",", packages.stream().sorted().toList()),
                "trim=" + String.join(",", trim));
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The local image tag for this recipe: {@code weft-faults/node:KEY}. */
    public String tag() {
        return "weft-faults/node:" + key();
    }

    /** The cached root filesystem archive's file name. */
    public String tarballName() {
        return "rootfs-" + key() + ".tar";
    }
}
