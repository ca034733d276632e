package dev.weft.faults.runtime.engine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code docker} command line pointed at one engine (for the few things the Java client of
 * Testcontainers does not do, such as {@code docker import}). Blocks until the command exits.
 */
public final class DockerCli {

    private DockerCli() {}

    /** Runs {@code docker ARGS} against the engine of {@code layout}. */
    public static HostCommand.Result run(EngineLayout layout, Duration timeout, String... args) {
        return run(layout, timeout, null, args);
    }

    /** Runs {@code docker ARGS} with {@code stdin} as its standard input. */
    public static HostCommand.Result run(EngineLayout layout, Duration timeout, Path stdin, String... args) {
        List<String> argv = new ArrayList<>();
        argv.add("docker");
        argv.addAll(List.of(args));
        return HostCommand.run(timeout, argv, Map.of("DOCKER_HOST", layout.dockerHost()), null, stdin);
    }
}
