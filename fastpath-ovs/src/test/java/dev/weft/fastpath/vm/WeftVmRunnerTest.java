package dev.weft.fastpath.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The VM runner's contract: one command in, its output and exit code out, the openvswitch module
 * loaded, writes kept only under {@code -w} directories, a timeout reported as 124.
 */
class WeftVmRunnerTest {

    @Test
    void runsOneCommandInDebiansKernelAndReturnsItsExitCode(@TempDir Path shared) throws Exception {
        Path lost = Path.of("/var/tmp/weft-vm-test-" + ProcessHandle.current().pid());
        String script = String.join(
                "; ",
                "echo kernel=$(uname -r)",
                "grep -q '^openvswitch ' /proc/modules || exit 3",
                "echo written-in-guest > " + shared + "/result",
                "echo lost > " + lost,
                "exit 7");
        VmRun run = VmRun.run(300, List.of("-w", shared.toString(), "--", "sh", "-c", script));

        assertThat(run.exitCode()).as(run.output()).isEqualTo(7);
        assertThat(run.output()).contains("kernel=").doesNotContain("kernel=" + hostKernel());
        assertThat(Files.readString(shared.resolve("result"), StandardCharsets.UTF_8))
                .isEqualTo("written-in-guest\n");
        assertThat(lost).as("guest writes outside -w dirs are thrown away").doesNotExist();
    }

    @Test
    void reportsATimeoutAs124() throws Exception {
        VmRun run = VmRun.run(120, List.of("-t", "1", "--", "sleep", "100"));
        assertThat(run.exitCode()).as(run.output()).isEqualTo(124);
        assertThat(run.output()).contains("timed out after 1s");
    }

    @Test
    void rejectsAMissingCommandWithoutBooting() throws Exception {
        VmRun run = VmRun.run(60, List.of("-t", "5"));
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.output()).contains("no command given");
    }

    private static String hostKernel() throws Exception {
        return Files.readString(Path.of("/proc/sys/kernel/osrelease"), StandardCharsets.UTF_8)
                .strip();
    }
}
