package dev.weft.faults.runtime.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A private Docker Engine (Debian's {@code docker.io}) for one harness run: dockerd runs inside a
 * network namespace of its own ({@code wf-XXXXXX-docker}), with its own data root, exec root,
 * pidfile, socket and cgroup parent, so its bridges, iptables rules and containers never touch the
 * machine's namespace or another run's engine.
 *
 * <p>It is started with {@code nsenter --net} rather than {@code ip netns exec}, which would
 * remount /sys and hide the cgroup mounts dockerd needs. An owner stamp (this JVM's pid and start
 * time) lets a later run {@link #sweep sweep} an engine whose owner died without stopping it.
 *
 * <p>Thread-safety: {@link #close} may be called from any thread, any number of times.
 */
public final class DockerEngine implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DockerEngine.class);

    /** Where engines live unless told otherwise; short, because the socket path is limited. */
    public static final Path DEFAULT_BASE = Path.of("/tmp/weft-faults");

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final EngineLayout layout;
    private final Process dockerd;
    private final Thread shutdownHook;
    private boolean closed;

    private DockerEngine(EngineLayout layout, Process dockerd) {
        this.layout = layout;
        this.dockerd = dockerd;
        this.shutdownHook = new Thread(() -> new EngineTeardown(layout).run(), "weft-faults-engine-teardown");
    }

    /**
     * Sweeps engines whose owners died, then starts a new engine under {@code base} and waits
     * (up to 60 s) until it answers. On failure everything started so far is removed again.
     *
     * @throws IllegalStateException when dockerd is missing, fails to start or never answers
     */
    public static DockerEngine start(Path base) {
        if (!Files.isExecutable(Path.of("/usr/sbin/dockerd")) && !onPath("dockerd")) {
            throw new IllegalStateException("dockerd is not installed: run scripts/deps (Debian package docker.io)");
        }
        sweep(base);
        EngineLayout layout = new EngineLayout(base, newId());
        if (layout.socket().toString().length() > EngineLayout.MAX_SOCKET_PATH) {
            throw new IllegalStateException("socket path too long for a unix socket: " + layout.socket());
        }
        Process p = null;
        try {
            Files.createDirectories(layout.dir());
            OwnerStamp.self().write(layout.ownerFile());
            HostCommand.run(Duration.ofSeconds(20), "ip", "netns", "add", layout.netns())
                    .check();
            HostCommand.run(Duration.ofSeconds(20), "ip", "-n", layout.netns(), "link", "set", "lo", "up")
                    .check();
            ProcessBuilder pb = new ProcessBuilder(dockerdArgv(layout))
                    .redirectErrorStream(true)
                    .redirectOutput(layout.log().toFile())
                    .redirectInput(
                            ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            p = pb.start();
            awaitReady(layout, p);
            DockerEngine engine = new DockerEngine(layout, p);
            Runtime.getRuntime().addShutdownHook(engine.shutdownHook);
            LOG.info("dockerd {} running in netns {} (DOCKER_HOST={})", p.pid(), layout.netns(), layout.dockerHost());
            return engine;
        } catch (IOException | RuntimeException e) {
            List<String> left = new EngineTeardown(layout).run();
            if (p != null) {
                p.destroyForcibly();
            }
            throw new IllegalStateException(
                    "cannot start dockerd in netns " + layout.netns() + ": " + e.getMessage()
                            + (left.isEmpty() ? "" : " (cleanup left: " + left + ")"),
                    e);
        }
    }

    static List<String> dockerdArgv(EngineLayout layout) {
        return List.of(
                "nsenter",
                "--net=/run/netns/" + layout.netns(),
                "dockerd",
                "--data-root=" + layout.dataRoot(),
                "--exec-root=" + layout.execRoot(),
                "--pidfile=" + layout.pidfile(),
                "--host=" + layout.dockerHost(),
                "--cgroup-parent=" + layout.cgroupParent(),
                // docker0 is unused (nodes get a network of their own) but Testcontainers inspects it
                "--bip=10.78.0.1/24",
                "--userland-proxy=false",
                "--log-level=warn");
    }

    private static void awaitReady(EngineLayout layout, Process p) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("dockerd exited with " + p.exitValue() + ":\n" + tail(layout.log()));
            }
            if (Files.exists(layout.socket())
                    && DockerCli.run(layout, Duration.ofSeconds(10), "version", "--format", "{{.Server.Version}}")
                            .ok()) {
                return;
            }
            EngineTeardown.pause(Duration.ofMillis(200));
        }
        throw new IllegalStateException(
                "dockerd did not answer within " + START_TIMEOUT.toSeconds() + " s:\n" + tail(layout.log()));
    }

    /**
     * Tears down every engine under {@code base} whose owner process is gone (a run that crashed or
     * was killed). Engines of live owners, including other concurrent runs, are left alone.
     *
     * @return the ids of the engines removed
     */
    public static List<String> sweep(Path base) {
        List<String> swept = new ArrayList<>();
        if (!Files.isDirectory(base)) {
            return swept;
        }
        try (Stream<Path> dirs = Files.list(base)) {
            for (Path d : dirs.toList()) {
                String name = String.valueOf(d.getFileName());
                if (!EngineLayout.isEngineId(name)) {
                    continue;
                }
                EngineLayout l = new EngineLayout(base, name);
                boolean ownerAlive =
                        OwnerStamp.read(l.ownerFile()).map(OwnerStamp::alive).orElse(false);
                if (!ownerAlive) {
                    LOG.info("sweeping engine {} left by a run that is gone", name);
                    new EngineTeardown(l).run();
                    swept.add(name);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return swept;
    }

    public EngineLayout layout() {
        return layout;
    }

    /** The value for {@code DOCKER_HOST} (a {@code unix://} URL). */
    public String dockerHost() {
        return layout.dockerHost();
    }

    /** Runs {@code docker ARGS} against this engine. */
    public HostCommand.Result docker(Duration timeout, String... args) {
        return DockerCli.run(layout, timeout, args);
    }

    /** True while dockerd runs. */
    public boolean running() {
        return dockerd.isAlive();
    }

    /** The last lines dockerd logged (for failure messages). */
    public String logTail() {
        return tail(layout.log());
    }

    /**
     * Removes all containers and networks, stops dockerd and deletes the namespace and directory.
     * Idempotent.
     *
     * @return what could not be cleaned (empty when everything is gone)
     */
    public synchronized List<String> stop() {
        if (closed) {
            return List.of();
        }
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down and the hook is running or has run
        }
        List<String> left = new EngineTeardown(layout).run();
        dockerd.destroyForcibly();
        return left;
    }

    /** {@link #stop()}, for try-with-resources. */
    @Override
    public void close() {
        stop();
    }

    private static String newId() {
        byte[] b = new byte[3];
        RANDOM.nextBytes(b);
        return "wf-" + HexFormat.of().formatHex(b);
    }

    private static boolean onPath(String cmd) {
        return HostCommand.run(Duration.ofSeconds(5), "sh", "-c", "command -v " + cmd)
                .ok();
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
