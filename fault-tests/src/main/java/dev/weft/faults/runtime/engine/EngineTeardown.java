package dev.weft.faults.runtime.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes every trace of one engine, whether its owner stopped it or died: containers, dockerd,
 * leftover shims, the containers' cgroups, mounts under its directory, its network namespace and
 * its directory. Each step tolerates the thing being already gone, so running it twice (or on a
 * half-started engine) is safe. Blocks for at most about a minute.
 */
final class EngineTeardown {

    private static final Logger LOG = LoggerFactory.getLogger(EngineTeardown.class);
    private static final Path CGROUP_ROOT = Path.of("/sys/fs/cgroup");

    private final EngineLayout layout;
    private final List<String> problems = new ArrayList<>();

    EngineTeardown(EngineLayout layout) {
        this.layout = layout;
    }

    /** Runs every step; returns what could not be cleaned (empty when everything is gone). */
    List<String> run() {
        removeContainers();
        stopDockerd();
        killLeftovers();
        removeCgroups();
        unmountUnder(layout.dir());
        deleteNetns();
        deleteDir();
        problems.forEach(p -> LOG.warn("engine {}: {}", layout.id(), p));
        return List.copyOf(problems);
    }

    private void removeContainers() {
        if (!Files.exists(layout.socket()) || dockerdPid().isEmpty()) {
            return;
        }
        try {
            HostCommand.Result ps = DockerCli.run(layout, Duration.ofSeconds(20), "ps", "-aq");
            List<String> ids = ps.ok() ? List.of(ps.stdout().trim().split("\\s+")) : List.of();
            if (!ids.isEmpty() && !ids.getFirst().isEmpty()) {
                List<String> rm = new ArrayList<>(List.of("rm", "-f", "-v"));
                rm.addAll(ids);
                DockerCli.run(layout, Duration.ofSeconds(60), rm.toArray(String[]::new));
            }
            DockerCli.run(layout, Duration.ofSeconds(20), "network", "prune", "-f");
        } catch (RuntimeException e) {
            problems.add("removing containers: " + e.getMessage());
        }
    }

    /** The pid in the pidfile, if that process is a dockerd of this engine. */
    Optional<ProcessHandle> dockerdPid() {
        try {
            long pid = Long.parseLong(
                    Files.readString(layout.pidfile(), StandardCharsets.UTF_8).trim());
            return ProcessHandle.of(pid)
                    .filter(p -> cmdline(pid).contains(layout.dataRoot().toString()));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private void stopDockerd() {
        dockerdPid().ifPresent(p -> {
            p.destroy(); // SIGTERM: dockerd stops containerd and unmounts its layers
            if (!waitGone(p, Duration.ofSeconds(20))) {
                problems.add("dockerd " + p.pid() + " ignored SIGTERM for 20 s; killed");
                p.destroyForcibly();
                waitGone(p, Duration.ofSeconds(5));
            }
        });
    }

    /** containerd, shims and anything else whose command line names this engine's directory. */
    private void killLeftovers() {
        String mine = layout.dir().toString() + "/";
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            all.filter(p -> p.pid() != ProcessHandle.current().pid())
                    .filter(p -> cmdline(p.pid()).contains(mine))
                    .forEach(p -> {
                        p.destroyForcibly();
                        waitGone(p, Duration.ofSeconds(5));
                    });
        }
    }

    /** Every process still in a container cgroup is killed (thawed first), then the cgroups go. */
    private void removeCgroups() {
        List<Path> roots = new ArrayList<>();
        try (Stream<Path> controllers = Files.list(CGROUP_ROOT)) {
            controllers
                    .map(c -> c.resolve(layout.cgroupParent().substring(1)))
                    .filter(Files::isDirectory)
                    .forEach(roots::add);
        } catch (IOException e) {
            return; // no cgroup filesystem: nothing of ours can be there
        }
        for (Path root : roots) {
            for (Path cg : depthFirst(root)) {
                thaw(cg);
                for (long pid : procs(cg)) {
                    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
        }
        for (Path root : roots) {
            for (Path cg : depthFirst(root)) {
                for (int i = 0; i < 50 && !procs(cg).isEmpty(); i++) {
                    pause(Duration.ofMillis(100));
                }
                try {
                    Files.deleteIfExists(cg);
                } catch (IOException e) {
                    problems.add("cgroup " + cg + " not removed: " + e.getMessage());
                }
            }
        }
    }

    private void unmountUnder(Path dir) {
        String prefix = dir.toString() + "/";
        List<String> points = new ArrayList<>();
        try {
            for (String line : ProcFs.read(Path.of("/proc/self/mountinfo")).split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                String point = line.split(" ")[4].replace("\\040", " ");
                if (point.startsWith(prefix)) {
                    points.add(point);
                }
            }
        } catch (IOException e) {
            problems.add("cannot read mountinfo: " + e.getMessage());
            return;
        }
        points.sort(Comparator.comparingInt(String::length).reversed());
        for (String p : points) {
            HostCommand.Result r = HostCommand.run(Duration.ofSeconds(20), "umount", "-l", p);
            if (!r.ok()) {
                problems.add("umount " + p + ": " + r.stderr().strip());
            }
        }
    }

    private void deleteNetns() {
        if (Files.exists(Path.of("/run/netns", layout.netns()))) {
            HostCommand.Result r = HostCommand.run(Duration.ofSeconds(20), "ip", "netns", "del", layout.netns());
            if (!r.ok()) {
                problems.add(
                        "ip netns del " + layout.netns() + ": " + r.stderr().strip());
            }
        }
    }

    private void deleteDir() {
        if (Files.exists(layout.dir())) {
            // --one-file-system: never follow a mount that survived into someone else's files.
            HostCommand.Result r = HostCommand.run(
                    Duration.ofSeconds(120),
                    "rm",
                    "-rf",
                    "--one-file-system",
                    layout.dir().toString());
            if (!r.ok()) {
                problems.add("rm -rf " + layout.dir() + ": " + r.stderr().strip());
            }
        }
    }

    static String cmdline(long pid) {
        try {
            return ProcFs.read(Path.of("/proc", Long.toString(pid), "cmdline")).replace('\0', ' ');
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static boolean waitGone(ProcessHandle p, Duration max) {
        try {
            p.onExit().get(max.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return !p.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !p.isAlive();
        } catch (java.util.concurrent.ExecutionException e) {
            return !p.isAlive();
        }
    }

    private static List<Path> depthFirst(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isDirectory)
                    .sorted(Comparator.comparingInt(Path::getNameCount).reversed())
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static void thaw(Path cg) {
        Path state = cg.resolve("freezer.state");
        if (Files.exists(state)) {
            try {
                Files.writeString(state, "THAWED");
            } catch (IOException ignored) {
                // not a freezer cgroup, or already gone
            }
        }
    }

    private static List<Long> procs(Path cg) {
        try {
            return ProcFs.read(cg.resolve("cgroup.procs"))
                    .lines()
                    .filter(s -> !s.isBlank())
                    .map(Long::parseLong)
                    .toList();
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    static void pause(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
