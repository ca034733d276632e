package dev.weft.cni.internal.server;

import dev.weft.cni.internal.spec.CniErrorCode;
import dev.weft.cni.internal.spec.RequestParser;
import dev.weft.cni.internal.wire.ShimCodec;
import dev.weft.cni.internal.wire.ShimRequest;
import dev.weft.cni.internal.wire.ShimResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DELs the shim queued on disk while the router was down ({@code <dir>/<hash>.del}, each a
 * request frame), and the lock ({@code <dir>/.lock}, fcntl) the shim takes while it decides to
 * queue. The router binds its socket while holding that lock and drains afterwards, so every
 * DEL either reached the socket or is in the directory when the drain looks.
 *
 * <p>{@link #drain} is synchronized: the start-up drain and its retries never overlap.
 */
public final class DeleteQueue {
    private static final Logger log = LoggerFactory.getLogger(DeleteQueue.class);

    private final Path dir;

    public DeleteQueue(Path dir) {
        this.dir = dir;
    }

    /** The directory. */
    public Path dir() {
        return dir;
    }

    /** Creates the directory (0700) if needed and holds the queue lock until closed. Blocks. */
    public ContainerLocks.Held lock() throws IOException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        FileChannel ch = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.lock();
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        return () -> {
            try (ch) {
                lock.release();
            } catch (IOException e) {
                log.warn("releasing the DEL queue lock: {}", e.toString());
            }
        };
    }

    /** The queued entries, oldest name order. */
    public List<Path> entries() throws IOException {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.del")) {
            files.forEach(out::add);
        }
        out.sort(null);
        return out;
    }

    /**
     * Applies every queued DEL through {@code handler}. An entry is removed once applied, kept
     * when the router answered "try again later" (code 11), and renamed to {@code .bad} when it
     * can never be applied (not a DEL frame, or a permanent error), so nothing vanishes unseen.
     *
     * @return how many entries were applied
     */
    public synchronized int drain(CniHandler handler) throws IOException {
        int applied = 0;
        for (Path entry : entries()) {
            ShimRequest req;
            try (InputStream in = Files.newInputStream(entry)) {
                req = ShimCodec.readRequest(in);
            } catch (IOException e) {
                quarantine(entry, e.getMessage());
                continue;
            }
            if (!req.command().equals("DEL")) {
                quarantine(entry, "queued " + req.command() + " is not a DEL");
                continue;
            }
            ShimResponse res = handler.handle(req);
            if (res.exitCode() == 0) {
                Files.deleteIfExists(entry);
                applied++;
                log.info("applied queued CNI DEL {}/{}", req.containerId(), req.ifname());
            } else if (errorCode(res) == CniErrorCode.TRY_AGAIN_LATER) {
                log.warn("queued CNI DEL {}/{} must wait: {}", req.containerId(), req.ifname(), res.stdoutText());
            } else {
                quarantine(entry, res.stdoutText().strip());
            }
        }
        return applied;
    }

    private static int errorCode(ShimResponse res) {
        try {
            return RequestParser.JSON.readTree(res.stdout()).path("code").asInt(-1);
        } catch (IOException e) {
            return -1;
        }
    }

    private void quarantine(Path entry, String why) throws IOException {
        Path bad = entry.resolveSibling(entry.getFileName() + ".bad");
        Files.move(entry, bad, StandardCopyOption.REPLACE_EXISTING);
        log.error("queued CNI DEL {} cannot be applied ({}); kept as {}", entry, why, bad);
    }
}
