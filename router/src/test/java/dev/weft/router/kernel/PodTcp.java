package dev.weft.router.kernel;

import dev.weft.linux.api.NetNs;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/** TCP echo servers and clients inside pod namespaces, for reachability and wire tests. */
final class PodTcp implements AutoCloseable {
    private final List<ServerSocket> servers = new ArrayList<>();
    private final List<NetNs> opened = new ArrayList<>();

    /** Starts an echo server on {@code port} in the pod namespace {@code pod}. */
    void serve(String pod, int port) {
        NetNs ns = NetNs.open(pod);
        opened.add(ns);
        ServerSocket ss = ns.call(() -> {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(port));
            return s;
        });
        servers.add(ss);
        Thread t = new Thread(
                () -> {
                    while (!ss.isClosed()) {
                        try (Socket c = ss.accept()) {
                            c.setSoTimeout(20_000);
                            InputStream in = c.getInputStream();
                            OutputStream out = c.getOutputStream();
                            byte[] buf = new byte[65536];
                            int n;
                            while ((n = in.read(buf)) > 0) {
                                out.write(buf, 0, n);
                            }
                        } catch (IOException e) {
                            // next client, or closed
                        }
                    }
                },
                "echo-" + pod);
        t.setDaemon(true);
        t.start();
    }

    /** Connects from {@code pod} to {@code ip:port}, sends {@code payload}, returns the echo. */
    static byte[] echo(String pod, String ip, int port, byte[] payload) {
        try (NetNs ns = NetNs.open(pod)) {
            return ns.call(() -> {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(ip, port), 5000);
                    s.setSoTimeout(20_000);
                    OutputStream out = s.getOutputStream();
                    InputStream in = s.getInputStream();
                    Thread writer = new Thread(() -> {
                        try {
                            out.write(payload);
                            s.shutdownOutput();
                        } catch (IOException e) {
                            // the reader reports it
                        }
                    });
                    writer.start();
                    byte[] back = in.readAllBytes();
                    writer.join();
                    return back;
                }
            });
        }
    }

    @Override
    public void close() {
        for (ServerSocket s : servers) {
            try {
                s.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        opened.forEach(NetNs::close);
    }
}
