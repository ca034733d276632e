package dev.weft.router.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.router.http.HttpApi.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP API's connection handling: keep-alive, pipelining answered in order, Connection: close. */
class HttpApiTest {

    HttpApi api;
    /** Answers to /slow requests, completed by the test (from its own thread, like a store would). */
    final List<CompletableFuture<Response>> slow = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        api = HttpApi.start(new InetSocketAddress("127.0.0.1", 0));
        api.route("/fast", r -> CompletableFuture.completedFuture(Response.text(200, "fast " + r.path())));
        api.route("/slow", r -> {
            CompletableFuture<Response> f = new CompletableFuture<>();
            synchronized (slow) {
                slow.add(f);
                slow.notifyAll();
            }
            return f;
        });
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private Socket connect() throws IOException {
        Socket s = new Socket("127.0.0.1", api.address().getPort());
        s.setSoTimeout(10_000);
        return s;
    }

    private static void send(Socket s, String... requests) throws IOException {
        StringBuilder b = new StringBuilder();
        for (String r : requests) {
            b.append(r);
        }
        OutputStream out = s.getOutputStream();
        out.write(b.toString().getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n";
    }

    /** Reads one response (Content-Length framed); returns its body. */
    private static String readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("closed after " + head);
            }
            head.write(c);
        }
        String h = head.toString(StandardCharsets.US_ASCII).toLowerCase(java.util.Locale.ROOT);
        int at = h.indexOf("content-length:");
        int len = Integer.parseInt(h.substring(at + 15, h.indexOf('\r', at)).strip());
        return new String(in.readNBytes(len), StandardCharsets.UTF_8).strip();
    }

    private CompletableFuture<Response> awaitSlow(int n) throws InterruptedException {
        synchronized (slow) {
            while (slow.size() <= n) {
                slow.wait(10_000);
            }
            return slow.get(n);
        }
    }

    @Test
    void keepAliveServesManyRequestsOnOneConnection() throws IOException {
        try (Socket s = connect()) {
            for (int i = 0; i < 20; i++) {
                send(s, get("/fast/" + i));
                assertThat(readResponse(s.getInputStream())).isEqualTo("fast /fast/" + i);
            }
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInRequestOrderEvenWhenLaterOnesFinishFirst() throws Exception {
        try (Socket s = connect()) {
            send(s, get("/slow/1"), get("/fast/2"), get("/slow/3"), get("/fast/4"));
            CompletableFuture<Response> first = awaitSlow(0);
            CompletableFuture<Response> third = awaitSlow(1);
            third.complete(Response.text(200, "third")); // finishes before the first
            Thread.sleep(100);
            assertThat(s.getInputStream().available())
                    .as("nothing may overtake the first answer")
                    .isZero();
            first.complete(Response.text(200, "first"));
            InputStream in = s.getInputStream();
            assertThat(readResponse(in)).isEqualTo("first");
            assertThat(readResponse(in)).isEqualTo("fast /fast/2");
            assertThat(readResponse(in)).isEqualTo("third");
            assertThat(readResponse(in)).isEqualTo("fast /fast/4");
        }
    }

    @Test
    void aFailedHandlerGetsA500AndTheConnectionGoesOn() throws Exception {
        try (Socket s = connect()) {
            send(s, get("/slow/x"));
            awaitSlow(0).completeExceptionally(new IllegalStateException("boom"));
            assertThat(readResponse(s.getInputStream()))
                    .startsWith("internal error:")
                    .contains("boom");
            send(s, get("/fast/after"));
            assertThat(readResponse(s.getInputStream())).isEqualTo("fast /fast/after");
        }
    }

    @Test
    void connectionCloseIsHonouredAfterTheAnswer() throws IOException {
        try (Socket s = connect()) {
            send(s, "GET /fast/bye HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", get("/fast/ignored"));
            InputStream in = s.getInputStream();
            assertThat(readResponse(in)).isEqualTo("fast /fast/bye");
            assertThat(in.read())
                    .as("closed after the answer; the pipelined request is dropped")
                    .isEqualTo(-1);
        }
    }

    @Test
    void unknownPathsAndMalformedRequestsGetClearAnswers() throws IOException {
        try (Socket s = connect()) {
            send(s, get("/nowhere"));
            assertThat(readResponse(s.getInputStream())).isEqualTo("no such endpoint: /nowhere");
        }
        try (Socket s = connect()) {
            send(s, "NOT HTTP AT ALL\r\n\r\n");
            InputStream in = s.getInputStream();
            assertThat(readResponse(in)).startsWith("bad request: malformed HTTP request");
            assertThat(in.read()).as("a connection that sent garbage is closed").isEqualTo(-1);
        }
    }
}
