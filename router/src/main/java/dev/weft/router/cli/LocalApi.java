package dev.weft.router.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The command line's client of the router's local HTTP API. */
final class LocalApi {

    /** Default address of the router's HTTP API. */
    static final String DEFAULT_ADDRESS = "127.0.0.1:6784";

    record Reply(int status, String body) {}

    private final String base;
    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    LocalApi(String address) {
        this.base = "http://" + address;
    }

    static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    Reply send(String method, String pathAndQuery, Duration timeout) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .timeout(timeout)
                .build();
        try {
            HttpResponse<String> r = client.send(req, HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body());
        } catch (ConnectException e) {
            throw new IOException(
                    "cannot reach the router's API at " + base + ": is the router running (weft launch)?", e);
        }
    }
}
