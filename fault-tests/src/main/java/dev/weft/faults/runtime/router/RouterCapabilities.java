package dev.weft.faults.runtime.router;

import dev.weft.faults.runtime.engine.HostCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the built router in a checkout can do, read from its own help ({@code weft --help}, {@code
 * weft launch --help}) on this machine: its commands and launch flags. The harness uses only what
 * exists and says in the report what it could not exercise.
 *
 * @param commands the subcommands, e.g. {@code launch}, {@code rmpeer}
 * @param launchFlags the long options of {@code launch}, e.g. {@code --password}
 */
public record RouterCapabilities(Set<String> commands, Set<String> launchFlags) {

    private static final Pattern COMMAND = Pattern.compile("^\\s{2}([a-z][a-z-]*)\\s{2,}\\S.*");
    private static final Pattern FLAG = Pattern.compile("(--[a-z][a-z-]*)");

    public RouterCapabilities {
        commands = Set.copyOf(commands);
        launchFlags = Set.copyOf(launchFlags);
    }

    /** Reads the capabilities of the router built in {@code weftHome} (two short JVM runs). */
    public static RouterCapabilities of(Path weftHome, Path javaHome) {
        Path classes = weftHome.resolve("router/target/classes");
        if (!Files.isDirectory(classes)) {
            return new RouterCapabilities(Set.of(), Set.of());
        }
        String cp = classes + ":" + weftHome.resolve("router/target/lib") + "/*";
        String java = javaHome.resolve("bin/java").toString();
        String main = "dev.weft.router.cli.WeftCli";
        HostCommand.Result top = HostCommand.run(Duration.ofSeconds(60), java, "-cp", cp, main, "--help");
        Set<String> commands = parseCommands(top.stdout());
        Set<String> flags = Set.of();
        if (commands.contains("launch")) {
            flags = parseFlags(HostCommand.run(Duration.ofSeconds(60), java, "-cp", cp, main, "launch", "--help")
                    .stdout());
        }
        return new RouterCapabilities(commands, flags);
    }

    static Set<String> parseCommands(String help) {
        Set<String> s = new TreeSet<>();
        boolean inCommands = false;
        for (String line : help.split("\n")) {
            if (line.startsWith("Commands:")) {
                inCommands = true;
                continue;
            }
            Matcher m = COMMAND.matcher(line);
            if (inCommands && m.matches()) {
                s.add(m.group(1));
            }
        }
        return s;
    }

    static Set<String> parseFlags(String help) {
        Set<String> s = new TreeSet<>();
        Matcher m = FLAG.matcher(help);
        while (m.find()) {
            s.add(m.group(1));
        }
        return s;
    }

    public boolean canLaunch() {
        return commands.contains("launch") && launchFlags.contains("--password");
    }

    public boolean hasIpam() {
        return launchFlags.containsAll(List.of("--ipalloc-range", "--ipalloc-init"));
    }

    /** True when {@code weft launch} runs the data plane and serves CNI ({@code --cni-socket}). */
    public boolean hasCni() {
        return launchFlags.contains("--cni-socket");
    }

    public boolean hasRmpeer() {
        return commands.contains("rmpeer");
    }
}
