package dev.weft.faults.runtime.engine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads files under /proc. {@code Files.readString} trusts the size the file reports, and some
 * proc files (sysctls such as {@code /proc/sys/kernel/cap_last_cap}) come back truncated that
 * way; reading the stream to its end is always right.
 */
public final class ProcFs {

    private ProcFs() {}

    /** The whole content of {@code file}. */
    public static String read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
