package dev.weft.sleeve.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What the CPU offers the ciphers, read once from {@code /proc/cpuinfo}. */
public final class CpuFeatures {
    private static final boolean AES = detect();

    private CpuFeatures() {}

    /**
     * True if the CPU has AES and carry-less multiplication instructions (x86 {@code aes} and
     * {@code pclmulqdq}, ARM {@code aes} and {@code pmull}), which the JDK's AES-GCM intrinsics use.
     */
    public static boolean hasAesInstructions() {
        return AES;
    }

    private static boolean detect() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
            for (String l : lines) {
                if (l.startsWith("flags") || l.startsWith("Features")) {
                    String f = " " + l.substring(l.indexOf(':') + 1) + " ";
                    return f.contains(" aes ") && (f.contains(" pclmulqdq ") || f.contains(" pmull "));
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc: assume the portable choice
        }
        return false;
    }
}
