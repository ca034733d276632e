package dev.weft.cni.runtime;

import dev.weft.cni.api.CniConfig;
import dev.weft.cni.internal.install.ShimInstaller;
import dev.weft.cni.internal.masq.NftMasquerade;
import dev.weft.cni.internal.spec.CniException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * What the router's CNI endpoint leaves on the host when it stops, on purpose (pods keep running
 * while it restarts), and its removal for {@code weft reset}: the network configuration kubelet
 * reads, the plugin binaries, the masquerade table, the socket file and, when asked, the records
 * of attached pods and the queue of DELs.
 */
public final class CniHostState {
    private CniHostState() {}

    /**
     * Removes the endpoint's host state described by {@code config}; with {@code records}, also its
     * attachment records and DEL queue (the pods they describe are then forgotten). Must not run
     * while a router serves {@code config}. Idempotent; blocks on the file system and {@code nft}.
     * Returns what was removed, one line each.
     *
     * @throws IOException naming what could not be removed (the rest is removed all the same)
     */
    public static List<String> remove(CniConfig config, boolean records) throws IOException {
        List<String> removed = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        if (config.confDir().isPresent()) {
            deleteFile(config.confDir().get().resolve(config.confFile()), removed, failed);
        }
        if (config.binDir().isPresent()) {
            try {
                ShimInstaller.uninstall(config.binDir().get()).forEach(p -> removed.add("file " + p));
            } catch (IOException e) {
                failed.add("the plugin in " + config.binDir().get() + ": " + e.getMessage());
            }
        }
        try {
            if (NftMasquerade.removeTable(config.hostNetns())) {
                removed.add("nftables table ip " + NftMasquerade.TABLE);
            }
        } catch (CniException e) {
            failed.add(e.getMessage());
        }
        deleteFile(config.socket(), removed, failed);
        if (records) {
            deleteTree(config.stateDir(), removed, failed);
            deleteTree(config.deleteQueue(), removed, failed);
        }
        if (!failed.isEmpty()) {
            throw new IOException("could not remove " + String.join("; ", failed));
        }
        return removed;
    }

    private static void deleteFile(Path p, List<String> removed, List<String> failed) {
        try {
            if (Files.deleteIfExists(p)) {
                removed.add("file " + p);
            }
        } catch (IOException e) {
            failed.add(p + ": " + e);
        }
    }

    /** Deletes a directory Weft made and everything in it; symbolic links are removed, not followed. */
    private static void deleteTree(Path dir, List<String> removed, List<String> failed) {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            deleteFile(dir, removed, failed);
            return;
        }
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(dir)) {
            paths = walk.sorted(Comparator.reverseOrder()).toList();
        } catch (IOException e) {
            failed.add(dir + ": " + e);
            return;
        }
        for (Path p : paths) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                failed.add(p + ": " + e);
                return;
            }
        }
        removed.add("directory " + dir);
    }
}
