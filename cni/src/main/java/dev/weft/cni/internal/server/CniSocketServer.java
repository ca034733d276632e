package dev.weft.cni.internal.server;

import dev.weft.cni.internal.spec.CniErrorCode;
import dev.weft.cni.internal.spec.CniException;
import dev.weft.cni.internal.spec.CniVersion;
import dev.weft.cni.internal.wire.MalformedFrameException;
import dev.weft.cni.internal.wire.ShimCodec;
import dev.weft.cni.internal.wire.ShimRequest;
import dev.weft.cni.internal.wire.ShimResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The root-only unix socket the shim talks to, one request per connection. Platform threads
 * take turns accepting (leader/followers): the thread that accepted a connection serves it itself,
 * so a request is never handed to another thread; if no other thread is left accepting, it
 * starts one first. Up to {@value #SPARE_THREADS} threads stay waiting between bursts. Only the router's user (root) can connect: the socket is created 0600, and in
 * a 0700 directory when the server creates the directory.
 *
 * <p>{@link #start} binds under the DEL queue's lock, drains the queue, then accepts; it blocks
 * until the queue is drained. DELs that had to wait (code 11, e.g. IPAM not ready) are retried
 * every {@code drainRetry} on the timer until the queue is empty. {@link #close} stops accepting; requests in flight finish.
 */
public final class CniSocketServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CniSocketServer.class);

    private final Path socket;
    private final DeleteQueue queue;
    private final CniHandler handler;
    private final Duration readTimeout;
    private final ScheduledExecutorService timer;
    private final Duration drainRetry;
    private volatile ServerSocketChannel server;
    private volatile java.util.concurrent.ScheduledFuture<?> retry;
    /** Threads waiting in (or for their turn at) accept. */
    private final AtomicInteger accepting = new AtomicInteger();

    /** How many idle threads are kept waiting for connections. */
    private static final int SPARE_THREADS = 4;

    /**
     * @param readTimeout how long a client may take to send its request before it is cut off
     * @param timer runs the read timeouts and the retries of queued DELs
     * @param drainRetry how often queued DELs that had to wait are tried again
     */
    public CniSocketServer(
            Path socket,
            DeleteQueue queue,
            CniHandler handler,
            Duration readTimeout,
            ScheduledExecutorService timer,
            Duration drainRetry) {
        this.socket = socket;
        this.queue = queue;
        this.handler = handler;
        this.readTimeout = readTimeout;
        this.timer = timer;
        this.drainRetry = drainRetry;
    }

    /** Binds, drains the DEL queue, and starts accepting. Blocks for the drain. */
    public synchronized void start() throws IOException {
        Path parent = socket.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            Files.createDirectories(parent);
            Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwx------"));
        }
        try (var held = queue.lock()) {
            Files.deleteIfExists(socket); // a stale socket from a router that died
            ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                ch.bind(UnixDomainSocketAddress.of(socket), 512);
                Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
            } catch (IOException e) {
                ch.close();
                throw e;
            }
            server = ch;
        }
        int applied = queue.drain(handler);
        if (applied > 0) {
            log.info("applied {} DEL(s) queued while the router was down", applied);
        }
        if (!queue.entries().isEmpty()) {
            // some had to wait (IPAM not ready yet): retry until the queue is empty
            retry = timer.scheduleWithFixedDelay(
                    this::redrain, drainRetry.toMillis(), drainRetry.toMillis(), TimeUnit.MILLISECONDS);
        }
        startThread();
        log.info("CNI server listening on {}", socket);
    }

    /** The socket path. */
    public Path socket() {
        return socket;
    }

    private void redrain() {
        try {
            queue.drain(handler);
            if (queue.entries().isEmpty() && retry != null) {
                retry.cancel(false);
                log.info("the DEL queue is empty again");
            }
        } catch (IOException | RuntimeException e) {
            log.warn("retrying queued DELs failed: {}", e.toString());
        }
    }

    // platform threads: the work blocks in native netlink calls, which would pin (and so
    // serialise on) the few carriers of virtual threads
    private void startThread() {
        Thread.ofPlatform().name("cni-request").daemon().start(this::acceptAndServe);
    }

    private void acceptAndServe() {
        while (true) {
            ServerSocketChannel ch = server;
            if (ch == null || !ch.isOpen()) {
                return;
            }
            accepting.incrementAndGet();
            SocketChannel client;
            try {
                client = ch.accept();
            } catch (ClosedChannelException e) {
                accepting.decrementAndGet();
                return;
            } catch (IOException e) {
                accepting.decrementAndGet();
                log.warn("CNI socket accept failed: {}", e.toString());
                continue;
            }
            if (accepting.decrementAndGet() == 0) {
                startThread(); // someone must accept while this thread serves
            }
            serve(client);
            if (accepting.get() >= SPARE_THREADS) {
                return; // enough are waiting already
            }
        }
    }

    private void serve(SocketChannel client) {
        try (client) {
            var cutoff = timer.schedule(
                    () -> {
                        try {
                            client.close();
                        } catch (IOException ignored) {
                            // closing is all we wanted
                        }
                    },
                    readTimeout.toMillis(),
                    TimeUnit.MILLISECONDS);
            InputStream in = Channels.newInputStream(client);
            OutputStream out = Channels.newOutputStream(client);
            ShimResponse response;
            try {
                ShimRequest request = ShimCodec.readRequest(in);
                cutoff.cancel(false);
                response = handler.handle(request);
            } catch (MalformedFrameException e) {
                cutoff.cancel(false);
                int code = e.variable() != null ? CniErrorCode.INVALID_ENVIRONMENT : CniErrorCode.PROTOCOL;
                response = new ShimResponse(
                        1,
                        (CniHandler.error(CniVersion.V1_1_0, new CniException(code, e.getMessage())) + "\n")
                                .getBytes(StandardCharsets.UTF_8),
                        new byte[0]);
            }
            ShimCodec.writeResponse(out, response);
        } catch (IOException e) {
            log.debug("CNI connection failed: {}", e.toString());
        }
    }

    @Override
    public synchronized void close() throws IOException {
        ServerSocketChannel ch = server;
        if (ch == null) {
            return;
        }
        server = null;
        var r = retry;
        if (r != null) {
            r.cancel(false);
        }
        ch.close(); // waiting threads see it closed and end; requests in flight finish
        Files.deleteIfExists(socket);
    }
}
