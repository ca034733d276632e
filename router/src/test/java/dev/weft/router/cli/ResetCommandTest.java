package dev.weft.router.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.linux.api.Link;
import dev.weft.linux.api.NetNs;
import dev.weft.linux.api.RtNetlink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code weft reset} against what a real {@code weft launch} process left in a node namespace: it
 * refuses while the router runs and touches nothing, then removes the devices, the masquerade
 * table and the CNI files, keeps IPAM's store and the peer name unless {@code --data} (which keeps
 * the peer name), and finds nothing the second time.
 */
class ResetCommandTest {
    static final Duration START = Duration.ofSeconds(90);

    String ns;
    Path netns;
    Path root;
    Process router;

    @BeforeEach
    void node() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "kernel tests need root");
        byte[] r = new byte[2];
        new SecureRandom().nextBytes(r);
        ns = "wrs" + HexFormat.of().formatHex(r);
        root = Files.createTempDirectory(ns);
        NetNs.create(ns).close();
        netns = NetNs.RUN_DIR.resolve(ns);
        assertThat(run("ip", "-n", ns, "link", "set", "lo", "up").status).isZero();
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (router != null && router.isAlive()) {
            router.destroyForcibly();
            router.waitFor(10, TimeUnit.SECONDS);
        }
        if (ns != null) {
            NetNs.delete(ns);
        }
        if (root != null) {
            try (Stream<Path> files = Files.walk(root)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void resetRemovesWhatLaunchLeftAndRefusesWhileTheRouterRuns() throws Exception {
        router = new ProcessBuilder(weft(
                        "launch",
                        "--ipalloc-range",
                        "10.47.0.0/16",
                        "--data-dir",
                        root.resolve("data").toString()))
                .redirectErrorStream(true)
                .redirectOutput(root.resolve("router.log").toFile())
                .start();
        Path conflist = root.resolve("net.d/10-weft.conflist");
        Instant deadline = Instant.now().plus(START);
        while (!Files.exists(conflist)) {
            assertThat(router.isAlive()).as(log()).isTrue();
            assertThat(Instant.now()).as(log()).isBefore(deadline);
            Thread.sleep(100);
        }
        List<String> devices = List.of("weft", "vethwe-sleeve", "weft-vxlan");
        assertThat(links()).as(log()).containsAll(devices);
        assertThat(tables()).contains("table ip weft");

        Outcome refused = run(weft("reset"));
        assertThat(refused.status).as(refused.output).isEqualTo(1);
        assertThat(refused.output).contains("weft reset: a router answers at 127.0.0.1:6784; stop it first");
        assertThat(links()).containsAll(devices);

        router.destroy(); // SIGTERM, as a DaemonSet rollout stops it
        assertThat(router.waitFor(30, TimeUnit.SECONDS)).isTrue();
        // the router leaves its bridge for the pods (its fast path's VXLAN device and TAP go with it)
        assertThat(links()).contains("weft");

        Outcome reset = run(weft("reset"));
        assertThat(reset.status).as(reset.output).isZero();
        assertThat(reset.output)
                .contains("removed device weft\n")
                .contains("removed nftables table ip weft\n")
                .contains("removed file " + conflist + "\n")
                .contains("removed file " + root.resolve("bin/weft") + "\n");
        assertThat(links()).doesNotContainAnyElementsOf(devices);
        assertThat(tables()).doesNotContain("table ip weft");
        assertThat(conflist).doesNotExist();
        assertThat(root.resolve("bin/weft")).doesNotExist();
        assertThat(root.resolve("bin/weft-ipam")).doesNotExist();
        assertThat(root.resolve("data/ipam.db")).as("kept without --data").exists();
        assertThat(root.resolve("data/peer-name")).exists();

        Outcome data = run(weft("reset", "--data"));
        assertThat(data.status).as(data.output).isZero();
        assertThat(data.output)
                .contains("removed file " + root.resolve("data/ipam.db") + "\n")
                .contains("removed directory " + root.resolve("data/cni") + "\n");
        assertThat(root.resolve("data/ipam.db")).doesNotExist();
        assertThat(root.resolve("data/peer-name"))
                .as("the node stays the same peer")
                .exists();

        Outcome again = run(weft("reset", "--data"));
        assertThat(again.status).as(again.output).isZero();
        assertThat(again.output).isEqualTo("weft reset: nothing to remove\n");
    }

    /** The weft command line in the node's namespace, with this test's directories. */
    List<String> weft(String command, String... args) {
        List<String> cmd = new ArrayList<>(List.of(
                "nsenter",
                "--net=" + netns,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.weft.router.cli.WeftCli",
                command));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of(
                "--cni-socket",
                root.resolve("run/cni.sock").toString(),
                "--cni-del-queue",
                root.resolve("data/cni-del-queue").toString(),
                "--cni-conf-dir",
                root.resolve("net.d").toString(),
                "--cni-bin-dir",
                root.resolve("bin").toString()));
        if (command.equals("reset")) {
            cmd.addAll(List.of("--data-dir", root.resolve("data").toString()));
        }
        return cmd;
    }

    List<String> links() {
        try (NetNs n = NetNs.open(netns);
                RtNetlink rt = RtNetlink.open(n)) {
            return rt.links().list().stream().map(Link::name).toList();
        }
    }

    String tables() throws Exception {
        return run("nsenter", "--net=" + netns, "nft", "list", "tables").output;
    }

    String log() {
        try {
            return Files.readString(root.resolve("router.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    record Outcome(int status, String output) {}

    static Outcome run(String... cmd) throws Exception {
        return run(List.of(cmd));
    }

    static Outcome run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Outcome(p.exitValue(), out);
    }
}
