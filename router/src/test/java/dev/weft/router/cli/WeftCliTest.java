package dev.weft.router.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class WeftCliTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = WeftCli.newCommandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void versionNamesTheBuildAndTheJvm() {
        assertThat(run("--version")).isZero();
        assertThat(out.toString()).startsWith("weft " + WeftVersion.version()).contains("JVM: 25");
        assertThat(WeftVersion.version()).matches("\\d+\\.\\d+\\.\\d+.*");
    }

    @Test
    void helpListsCommands() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("Usage: weft").contains("Commands:");
    }

    @Test
    void noCommandIsAUsageErrorNotASilentSuccess() {
        assertThat(run()).isEqualTo(2);
        assertThat(err.toString()).contains("Missing a command").contains("Usage: weft");
    }

    @Test
    void unknownOptionIsRejectedWithItsName() {
        assertThat(run("--frobnicate")).isEqualTo(2);
        assertThat(err.toString()).contains("--frobnicate");
    }
}
