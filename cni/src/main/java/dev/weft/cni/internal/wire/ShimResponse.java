package dev.weft.cni.internal.wire;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * What the shim prints and how it exits.
 *
 * @param exitCode the shim's exit status, 0..255
 * @param stdout bytes for the shim's stdout (the CNI result or error object); not copied
 * @param stderr bytes for the shim's stderr (free-form log text); not copied
 */
public record ShimResponse(int exitCode, byte[] stdout, byte[] stderr) {

    public ShimResponse {
        if (exitCode < 0 || exitCode > 255) {
            throw new IllegalArgumentException("exit code out of range: " + exitCode);
        }
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
    }

    /** A response with text on stdout and nothing on stderr. */
    public static ShimResponse of(int exitCode, String stdout) {
        return new ShimResponse(exitCode, stdout.getBytes(StandardCharsets.UTF_8), new byte[0]);
    }

    /** The stdout bytes as UTF-8 text. */
    public String stdoutText() {
        return new String(stdout, StandardCharsets.UTF_8);
    }
}
