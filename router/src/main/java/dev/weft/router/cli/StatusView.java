package dev.weft.router.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A {@code weft status} command: the overview ({@link StatusCommand}) or one component's view. The
 * router serves view {@code NAME} at {@code GET /status/NAME}, so a view's subcommand is its name
 * and nothing more (see {@link StatusCommand}'s subcommands).
 */
abstract class StatusView implements Callable<Integer> {

    @Mixin
    ApiAddressOption api = new ApiAddressOption();

    @Option(names = "--json", description = "Print the status as JSON.")
    boolean json;

    @Spec
    CommandSpec spec;

    /** The API path this command prints: {@code /status/} and the command's name. */
    String path() {
        return "/status/" + spec.name();
    }

    /** GETs {@link #path()} and prints the body; exit 0 on 200, 1 otherwise (503: not ready). */
    @Override
    public Integer call() throws Exception {
        LocalApi.Reply r = api.api().send("GET", path() + (json ? "?format=json" : ""), Duration.ofSeconds(10));
        (r.status() == 200 ? spec.commandLine().getOut() : spec.commandLine().getErr()).print(r.body());
        spec.commandLine().getOut().flush();
        return r.status() == 200 ? 0 : 1;
    }
}
