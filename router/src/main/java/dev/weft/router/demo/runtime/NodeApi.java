package dev.weft.router.demo.runtime;

import dev.weft.linux.api.NetNs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A router's HTTP API as the demo reaches it: 127.0.0.1:6784 inside the node's network namespace.
 * Each request opens a socket from the namespace's thread (a socket belongs to the namespace it is
 * created in), sends one HTTP/1.1 request with {@code Connection: close} and reads the answer.
 * Blocking; one request at a time per node.
 */
final class NodeApi {
    /** Bodies larger than this are cut (status pages are a few KiB). */
    private static final int MAX_BODY = 1 << 20;

    record Reply(int status, String body) {}

    private final NetNs ns;
    private final InetSocketAddress address;

    NodeApi(NetNs ns, InetSocketAddress address) {
        this.ns = ns;
        this.address = address;
    }

    /**
     * Sends {@code method pathAndQuery}.
     *
     * @throws IOException if the router does not answer (not listening yet, gone)
     */
    Reply send(String method, String pathAndQuery, Duration timeout) throws IOException {
        try {
            return ns.call(() -> exchange(method, pathAndQuery, timeout));
        } catch (IllegalStateException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw e;
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private Reply exchange(String method, String pathAndQuery, Duration timeout) throws IOException {
        try (Socket s = new Socket()) {
            int ms = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
            s.connect(address, ms);
            s.setSoTimeout(ms);
            OutputStream out = s.getOutputStream();
            String req = method + " " + pathAndQuery + " HTTP/1.1\r\nHost: " + address.getHostString() + ":"
                    + address.getPort() + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
            out.write(req.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) >= 0 && all.size() < MAX_BODY) {
                all.write(buf, 0, n);
            }
            return parse(all.toString(StandardCharsets.UTF_8));
        }
    }

    static Reply parse(String raw) throws IOException {
        int eol = raw.indexOf("\r\n");
        int end = raw.indexOf("\r\n\r\n");
        if (eol < 0 || end < 0 || !raw.startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP answer: " + raw.substring(0, Math.min(80, raw.length())));
        }
        String[] status = raw.substring(0, eol).split(" ", 3);
        try {
            return new Reply(Integer.parseInt(status[1]), raw.substring(end + 4));
        } catch (RuntimeException e) {
            throw new IOException("bad HTTP status line: " + raw.substring(0, eol), e);
        }
    }
}
