package dev.weft.faults.runtime.cluster;

import java.nio.file.Files;
import java.nio.file.Path;

/** The checkout the tests run in: the nearest directory above this module holding {@code ./weft}. */
public final class WeftCheckout {

    private WeftCheckout() {}

    public static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isRegularFile(p.resolve("weft"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException(
                    "not inside a Weft checkout: " + Path.of("").toAbsolutePath());
        }
        return p;
    }
}
