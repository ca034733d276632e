package dev.weft.router.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class AttachCommandTest {

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String[] run(String... args) {
        CommandLine cl = WeftCli.newCommandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    @Test
    void attachWithoutARouterSaysSo() throws Exception {
        String[] r = run("attach", "somens", "--http-addr", "127.0.0.1:" + freePort());
        assertThat(r[0]).isEqualTo("1");
        assertThat(r[2]).contains("weft attach: cannot reach the router's API").contains("is the router running");
    }

    @Test
    void detachWithoutARouterSaysSo() throws Exception {
        String[] r = run("detach", "somens", "--http-addr", "127.0.0.1:" + freePort());
        assertThat(r[0]).isEqualTo("1");
        assertThat(r[2]).contains("weft detach: cannot reach the router's API");
    }

    @Test
    void everyApiCommandWithoutARouterSaysSoInOneLine() throws Exception {
        String addr = "127.0.0.1:" + freePort();
        String[][] commands = {
            {"weft connect", "connect", "10.0.0.1"},
            {"weft forget", "forget", "10.0.0.1"},
            {"weft status", "status"},
            {"weft status peers", "status", "peers"},
            {"weft status ipam", "status", "ipam"},
            {"weft rmpeer", "rmpeer", "node9"}
        };
        for (String[] c : commands) {
            String[] args = java.util.Arrays.copyOfRange(c, 1, c.length + 2);
            args[c.length - 1] = "--http-addr";
            args[c.length] = addr;
            String[] r = run(args);
            assertThat(r[0]).as(c[0]).isEqualTo("1");
            assertThat(r[2])
                    .as(c[0])
                    .startsWith(c[0] + ": cannot reach the router's API at")
                    .doesNotContain("Exception")
                    .doesNotContain("\tat ");
        }
    }

    @Test
    void attachNeedsANamespace() {
        String[] r = run("attach");
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2]).contains("Missing required parameter: 'NETNS'");
    }

    @Test
    void demoRejectsBadCounts() {
        String[] r = run("demo", "--nodes", "1");
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2]).contains("--nodes must be 2..16");
    }
}
