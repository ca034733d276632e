package dev.weft.linux.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Kernel parameters under {@code /proc/sys}. Keys use dots ({@code net.ipv4.ip_forward}) or
 * slashes (needed when a name contains a dot). Network keys ({@code net.*}) belong to the network namespace of the
 * calling thread: call inside {@link NetNs#call} to read or set another namespace's, or use the
 * {@code NetNs} overloads. Blocking file I/O; thread-safe; setting is idempotent.
 */
public final class Sysctl {
    private static final Path ROOT = Path.of("/proc/sys");

    private Sysctl() {}

    /** The value, without the trailing newline. */
    public static String get(String key) {
        Path p = path(key);
        try {
            return new String(Files.readAllBytes(p), StandardCharsets.US_ASCII).strip();
        } catch (NoSuchFileException e) {
            throw new KernelException("sysctl " + key, Errno.ENOENT);
        } catch (IOException e) {
            throw new UncheckedIOException("read sysctl " + key, e);
        }
    }

    /** Writes {@code value}. The kernel validates it (e.g. EINVAL for "x" in an integer key). */
    public static void set(String key, String value) {
        Path p = path(key);
        try {
            Files.write(p, value.getBytes(StandardCharsets.US_ASCII), StandardOpenOption.WRITE);
        } catch (NoSuchFileException e) {
            throw new KernelException("sysctl " + key, Errno.ENOENT);
        } catch (IOException e) {
            String m = String.valueOf(e.getMessage());
            int errno =
                    m.contains("Invalid argument") ? Errno.EINVAL : m.contains("ermission") ? Errno.EACCES : Errno.EIO;
            throw new KernelException("sysctl " + key + " = " + value, errno);
        }
    }

    /** {@link #get(String)} in namespace {@code ns}. */
    public static String get(NetNs ns, String key) {
        return ns.call(() -> get(key));
    }

    /** {@link #set(String, String)} in namespace {@code ns}. */
    public static void set(NetNs ns, String key, String value) {
        ns.run(() -> set(key, value));
    }

    private static Path path(String key) {
        // Slash form keeps dots inside names (net/ipv4/conf/eth0.100/forwarding).
        String rel = key.contains("/") ? key : key.replace('.', '/');
        if (key.isEmpty() || rel.startsWith("/") || rel.contains("//") || rel.endsWith("/")) {
            throw new IllegalArgumentException("bad sysctl key \"" + key + "\"");
        }
        Path p = ROOT.resolve(rel).normalize();
        if (!p.startsWith(ROOT) || p.equals(ROOT)) {
            throw new IllegalArgumentException("bad sysctl key \"" + key + "\"");
        }
        return p;
    }
}
