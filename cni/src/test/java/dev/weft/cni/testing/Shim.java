package dev.weft.cni.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.cni.libcni.CniRuntime;
import dev.weft.cni.libcni.PluginRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The shim binary Maven built (target/cni-bin), and a way to run it with exactly some env. */
public final class Shim {
    private Shim() {}

    /** The directory holding {@code weft} and {@code weft-ipam}. */
    public static Path dir() {
        Path dir = Path.of(System.getProperty("weft.cni.bin", "target/cni-bin")).toAbsolutePath();
        assertThat(dir.resolve("weft"))
                .as("the shim is built by mvn (compile phase)")
                .isExecutable();
        return dir;
    }

    /** The {@code weft} binary. */
    public static Path binary() {
        return dir().resolve("weft");
    }

    /** Runs {@code binary} with exactly {@code env} and {@code stdin}. */
    public static PluginRun run(Path binary, Map<String, String> env, String stdin) throws IOException {
        return new CniRuntime(List.of(), Path.of("/nonexistent"), Map.of())
                .exec(binary, env, stdin.getBytes(StandardCharsets.UTF_8));
    }

    /** Runs the shim with exactly {@code env} and {@code stdin}. */
    public static PluginRun run(Map<String, String> env, String stdin) throws IOException {
        return run(binary(), env, stdin);
    }

    /** True when the ELF file has no interpreter and no dynamic section: a static executable. */
    public static boolean isStatic(Path elf) throws IOException {
        byte[] b = Files.readAllBytes(elf);
        assertThat(b[0] == 0x7f && b[1] == 'E' && b[2] == 'L' && b[3] == 'F' && b[4] == 2)
                .isTrue();
        long phoff = le(b, 0x20, 8);
        int phentsize = (int) le(b, 0x36, 2);
        int phnum = (int) le(b, 0x38, 2);
        for (int i = 0; i < phnum; i++) {
            long type = le(b, (int) phoff + i * phentsize, 4);
            if (type == 2 || type == 3) { // PT_DYNAMIC, PT_INTERP
                return false;
            }
        }
        return true;
    }

    private static long le(byte[] b, int off, int len) {
        long v = 0;
        for (int i = len - 1; i >= 0; i--) {
            v = (v << 8) | (b[off + i] & 0xff);
        }
        return v;
    }
}
