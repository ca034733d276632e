package dev.weft.linux.internal.uapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Compiles src/test/c/uapi_constants.c against the installed kernel UAPI headers and checks
 * that every constant it prints equals the Java constant of the same name.
 */
class UapiConstantsTest {

    @Test
    void javaConstantsMatchTheKernelHeaders() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/gcc")), "needs gcc and linux-libc-dev (scripts/deps)");
        Path exe = Path.of("target", "uapi_constants");
        run(List.of("gcc", "-o", exe.toString(), "src/test/c/uapi_constants.c"));
        String out = run(List.of(exe.toString()));
        List<String> mismatches = new ArrayList<>();
        int checked = 0;
        for (String line : out.split("\n")) {
            String[] kv = line.trim().split(" ");
            Long java = javaValue(kv[0]);
            long c = Long.parseLong(kv[1]);
            if (java == null) {
                mismatches.add(kv[0] + ": no Java constant");
            } else if (java != c) {
                mismatches.add(kv[0] + ": Java " + java + ", headers " + c);
            }
            checked++;
        }
        assertThat(mismatches).isEmpty();
        assertThat(checked).isGreaterThan(200);
    }

    private static Long javaValue(String name) throws IllegalAccessException {
        for (Class<?> c : new Class<?>[] {Rtnl.class, Genl.class, Tun.class, Sys.class}) {
            for (Field f : c.getDeclaredFields()) {
                if (f.getName().equals(name) && Modifier.isStatic(f.getModifiers())) {
                    return ((Number) f.get(null)).longValue();
                }
            }
        }
        return null;
    }

    private static String run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ":\n" + out).isZero();
        return out;
    }
}
