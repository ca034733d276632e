package dev.weft.router.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every {@code weft status} command asks the router for its own view, and prints what it answers. */
class StatusCommandTest {

    @Test
    void everyViewGetsItsOwnPathAndPrintsTheBody() throws Exception {
        List<String> asked = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            asked.add(ex.getRequestMethod() + " " + ex.getRequestURI());
            byte[] body = ("view " + ex.getRequestURI().getPath() + "\n").getBytes(StandardCharsets.UTF_8);
            int code = ex.getRequestURI().getPath().equals("/status/ipam") ? 503 : 200;
            ex.sendResponseHeaders(code, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        try {
            String addr = "127.0.0.1:" + server.getAddress().getPort();
            String[][] commands = {
                {"status"},
                {"status", "peers"},
                {"status", "connections", "--json"},
                {"status", "targets"},
                {"status", "dataplane"},
                {"status", "ipam"}
            };
            for (String[] c : commands) {
                CommandLine cl = WeftCli.newCommandLine();
                StringWriter out = new StringWriter();
                StringWriter err = new StringWriter();
                cl.setOut(new PrintWriter(out));
                cl.setErr(new PrintWriter(err));
                String[] args = java.util.Arrays.copyOf(c, c.length + 2);
                args[c.length] = "--http-addr";
                args[c.length + 1] = addr;
                int code = cl.execute(args);
                cl.getErr().flush();
                String path = c.length == 1 ? "/status" : "/status/" + c[1];
                if (path.equals("/status/ipam")) {
                    assertThat(code).as(path + ": 503 is not ready").isEqualTo(1);
                    assertThat(err.toString()).isEqualTo("view " + path + "\n");
                } else {
                    assertThat(code).as(path).isZero();
                    assertThat(out.toString()).isEqualTo("view " + path + "\n");
                }
            }
            assertThat(asked)
                    .containsExactly(
                            "GET /status",
                            "GET /status/peers",
                            "GET /status/connections?format=json",
                            "GET /status/targets",
                            "GET /status/dataplane",
                            "GET /status/ipam");
        } finally {
            server.stop(0);
        }
    }
}
