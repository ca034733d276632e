package dev.weft.faults.runtime.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The private engine starts in its own namespace and leaves nothing behind, also after a crash. */
class DockerEngineTest {

    @TempDir
    static Path scratch;

    static Path base;

    @BeforeAll
    static void needsRootAndDockerd() {
        assumeTrue(
                ProcessHandle.current().info().user().orElse("").equals("root"),
                "needs root (network namespaces, dockerd)");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/dockerd")), "dockerd missing: run scripts/deps");
        // Short base dir: the docker socket path must fit in sockaddr_un.
        base = DockerEngine.DEFAULT_BASE.resolve("t");
    }

    @Test
    void runsContainersInItsOwnNamespaceAndStopLeavesNothing() throws Exception {
        DockerEngine engine = DockerEngine.start(base);
        EngineLayout l = engine.layout();
        try {
            assertThat(Path.of("/run/netns", l.netns())).exists();
            importBusybox(engine);
            engine.docker(Duration.ofSeconds(30), "network", "create", "--subnet", "10.250.9.0/24", "t-net")
                    .check();
            engine.docker(
                            Duration.ofSeconds(60),
                            "run",
                            "-d",
                            "--network",
                            "t-net",
                            "--name",
                            "ta",
                            "t/busybox:1",
                            "sleep",
                            "1000")
                    .check();
            engine.docker(Duration.ofSeconds(60), "run", "-d", "--name", "tb", "t/busybox:1", "sleep", "1000")
                    .check();
            engine.docker(Duration.ofSeconds(30), "pause", "tb").check();

            // The network's bridge exists in the engine's namespace, not in the machine's.
            String bridge = "br-"
                    + engine.docker(Duration.ofSeconds(10), "network", "inspect", "-f", "{{.Id}}", "t-net")
                            .check()
                            .stdout()
                            .strip()
                            .substring(0, 12);
            assertThat(HostCommand.run(Duration.ofSeconds(10), "ip", "-n", l.netns(), "link", "show", bridge)
                            .ok())
                    .isTrue();
            assertThat(HostCommand.run(Duration.ofSeconds(10), "ip", "link", "show", bridge)
                            .ok())
                    .isFalse();
            assertThat(cgroupDirs(l)).isNotEmpty();
        } finally {
            assertThat(engine.stop()).isEmpty();
        }
        assertNothingLeft(l);
        assertThat(engine.stop()).as("stop is idempotent").isEmpty();
    }

    @Test
    void sweepRemovesTheEngineOfARunThatDied() throws Exception {
        DockerEngine engine = DockerEngine.start(base);
        EngineLayout l = engine.layout();
        importBusybox(engine);
        engine.docker(Duration.ofSeconds(60), "run", "-d", "--name", "tc", "t/busybox:1", "sleep", "1000")
                .check();
        engine.docker(Duration.ofSeconds(60), "run", "-d", "--name", "td", "t/busybox:1", "sleep", "1000")
                .check();
        engine.docker(Duration.ofSeconds(30), "pause", "td").check();

        DockerEngine live = DockerEngine.start(base);
        try {
            // Pretend the owner of the first engine died: its stamp names a process that is gone.
            Process gone = new ProcessBuilder("true").start();
            gone.waitFor();
            new OwnerStamp(gone.pid(), 1).write(l.ownerFile());

            assertThat(DockerEngine.sweep(base))
                    .contains(l.id())
                    .doesNotContain(live.layout().id());
            assertNothingLeft(l);
            assertThat(live.running()).isTrue();
            assertThat(live.docker(Duration.ofSeconds(10), "version").ok()).isTrue();
        } finally {
            engine.stop();
            assertThat(live.stop()).isEmpty();
        }
        assertNothingLeft(live.layout());
    }

    @Test
    void ownerStampRecognisesThisJvmAndNotARecycledPid() {
        OwnerStamp me = OwnerStamp.self();
        assertThat(me.alive()).isTrue();
        assertThat(new OwnerStamp(me.pid(), me.startTicks() + 1).alive()).isFalse();
    }

    static void importBusybox(DockerEngine engine) throws IOException {
        Path root = Files.createTempDirectory(scratch, "bb");
        Files.createDirectories(root.resolve("bin"));
        Files.copy(Path.of("/bin/busybox"), root.resolve("bin/busybox"));
        for (String applet : new String[] {"sh", "sleep", "ip", "ping"}) {
            Files.createSymbolicLink(root.resolve("bin").resolve(applet), Path.of("busybox"));
        }
        Path tar = scratch.resolve(root.getFileName() + ".tar");
        HostCommand.run(Duration.ofSeconds(30), "tar", "-C", root.toString(), "-cf", tar.toString(), ".")
                .check();
        engine.docker(Duration.ofSeconds(60), "import", tar.toString(), "t/busybox:1")
                .check();
    }

    static void assertNothingLeft(EngineLayout l) throws IOException {
        assertThat(l.dir()).doesNotExist();
        assertThat(Path.of("/run/netns", l.netns())).doesNotExist();
        assertThat(cgroupDirs(l)).isEmpty();
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            assertThat(all.map(p -> EngineTeardown.cmdline(p.pid()))
                            .filter(c -> c.contains(l.dir().toString()))
                            .toList())
                    .isEmpty();
        }
        assertThat(Files.readString(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8))
                .doesNotContain(l.dir().toString());
    }

    static java.util.List<Path> cgroupDirs(EngineLayout l) throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/sys/fs/cgroup"))) {
            return s.map(c -> c.resolve(l.id())).filter(Files::isDirectory).toList();
        }
    }
}
