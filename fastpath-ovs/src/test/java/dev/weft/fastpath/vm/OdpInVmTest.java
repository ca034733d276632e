package dev.weft.fastpath.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs the ODP kernel tests against Debian's openvswitch module: boots the VM with {@code
 * weft-vm} and runs {@link GuestSuite} over this test JVM's own classpath (the guest sees the
 * host's filesystem), one JVM in the guest. Fails with the guest's output if any test there fails
 * or skips. Off with {@code -Dweft.vm=false}.
 */
class OdpInVmTest {
    /** The kernel-backed test classes the guest runs. */
    private static final List<String> GUEST_TESTS = List.of(
            "dev.weft.fastpath.internal.odp.OdpKernelTest",
            "dev.weft.fastpath.runtime.OdpFastPathTest",
            "dev.weft.fastpath.runtime.OdpRestartTest");

    @Test
    void odpKernelTestsPassAgainstTheRealModule() throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new java.util.ArrayList<>(List.of(
                "-t",
                "540",
                "-m",
                "1536",
                "-k",
                "openvswitch vxlan veth bridge tun", // tun: FastPathLab's stand-in for sleeve's TAP
                "--",
                java.toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-Xshare:auto",
                "-cp",
                classpath,
                GuestSuite.class.getName()));
        command.addAll(GUEST_TESTS);

        VmRun run = VmRun.run(600, command);

        System.out.println(run.output());
        assertThat(run.output()).contains("guest-suite PASSED");
        assertThat(run.exitCode()).as(run.output()).isZero();
    }
}
