package dev.weft.linux.api;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;

/**
 * Test namespaces with a per-run prefix ("wl" + 4 hex digits + "-"), all deleted by {@link
 * #close()} even when a test failed half way. Skips the test when not root.
 */
final class TestNamespaces implements AutoCloseable {
    final String prefix;
    private final Deque<AutoCloseable> open = new ArrayDeque<>();
    private final List<String> created = new ArrayList<>();

    TestNamespaces() {
        assumeTrue(isRoot(), "kernel tests need root (network namespaces)");
        byte[] r = new byte[2];
        new SecureRandom().nextBytes(r);
        prefix = "wl" + HexFormat.of().formatHex(r) + "-";
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Creates {@code prefix + suffix}, opened; deleted and closed by {@link #close()}. */
    NetNs create(String suffix) {
        String name = prefix + suffix;
        created.add(name);
        NetNs ns = NetNs.create(name);
        open.push(ns);
        return ns;
    }

    /** Registers something to close (before the namespaces are deleted). */
    <T extends AutoCloseable> T closeLater(T c) {
        open.push(c);
        return c;
    }

    /** Names of our namespaces that still exist. */
    List<String> leftovers() {
        return NetNs.list().stream().filter(n -> n.startsWith(prefix)).toList();
    }

    @Override
    public void close() {
        while (!open.isEmpty()) {
            try {
                open.pop().close();
            } catch (Exception e) {
                // keep cleaning
            }
        }
        for (String n : created) {
            NetNs.delete(n);
        }
    }
}
