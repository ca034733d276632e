package dev.weft.cni.internal.install;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * Installs the shim carried in this module's jar as {@code <binDir>/weft} and the symlink
 * {@code weft-ipam}: written to a temporary file and renamed, so a runtime executing the old one
 * never sees a half-written binary ("text file busy" cannot happen either).
 */
public final class ShimInstaller {
    /** Where the build puts the shim on the classpath. */
    public static final String RESOURCE = "/dev/weft/cni/shim/weft";

    private ShimInstaller() {}

    /** Installs into {@code binDir}; returns the path of {@code weft}. */
    public static Path install(Path binDir) throws IOException {
        Files.createDirectories(binDir);
        Path target = binDir.resolve("weft");
        Path tmp = binDir.resolve(".weft.tmp");
        try (InputStream in = ShimInstaller.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException(
                        "the CNI shim is not on the classpath at " + RESOURCE + " (build weft-cni with mvn)");
            }
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Path link = binDir.resolve("weft-ipam");
        Path linkTmp = binDir.resolve(".weft-ipam.tmp");
        Files.deleteIfExists(linkTmp);
        Files.createSymbolicLink(linkTmp, Path.of("weft"));
        Files.move(linkTmp, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return target;
    }

    /**
     * Removes what {@link #install} put into {@code binDir}; returns the files that were there.
     * Idempotent.
     */
    public static List<Path> uninstall(Path binDir) throws IOException {
        List<Path> removed = new ArrayList<>();
        for (String name : List.of("weft-ipam", "weft", ".weft-ipam.tmp", ".weft.tmp")) {
            Path p = binDir.resolve(name);
            if (Files.deleteIfExists(p)) {
                removed.add(p);
            }
        }
        return removed;
    }
}
