package dev.weft.cni.internal.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.cni.internal.spec.AttachmentId;
import dev.weft.cni.internal.spec.IpPrefix;
import dev.weft.cni.internal.spec.RequestParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The attachments this router made, one JSON file each under a directory, written to a temporary
 * file and renamed, so a crash of the router leaves the old or the new record, never half.
 *
 * <p>Not fsync'ed (it costs milliseconds per ADD under load): only a kernel crash or power loss
 * can lose a record, and that also ends every pod it described; the runtime then DELs those
 * sandboxes, and DEL needs no record (host veth name and IPAM ident derive from the attachment).
 * The address itself is durable in IPAM.
 *
 * <p>Thread-safe; callers serialise operations on the same attachment. {@link #put} and
 * {@link #remove} block for the file operations.
 */
public final class AttachmentStore {
    private static final Logger log = LoggerFactory.getLogger(AttachmentStore.class);
    private static final String SUFFIX = ".json";

    private final Path dir;
    private final Map<AttachmentId, AttachmentRecord> records = new ConcurrentHashMap<>();

    /** Opens (creating with mode 0700) the directory and loads every record in it. */
    public AttachmentStore(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path file : files) {
                try {
                    AttachmentRecord r = decode(RequestParser.JSON.readTree(Files.readAllBytes(file)));
                    records.put(r.id(), r);
                } catch (IOException | RuntimeException e) {
                    // keep the file for a human; it cannot be acted on
                    log.warn("ignoring unreadable attachment record {}: {}", file, e.toString());
                }
            }
        }
    }

    /** The record of {@code id}, if this router made that attachment. */
    public Optional<AttachmentRecord> get(AttachmentId id) {
        return Optional.ofNullable(records.get(id));
    }

    /** Every record, in no particular order (a snapshot). */
    public List<AttachmentRecord> all() {
        return new ArrayList<>(records.values());
    }

    /** Persists the record, replacing an older one for the same attachment. */
    public void put(AttachmentRecord record) throws IOException {
        Path file = file(record.id());
        Path tmp = dir.resolve("." + file.getFileName() + ".tmp");
        byte[] bytes = RequestParser.JSON.writeValueAsBytes(encode(record));
        try (FileChannel ch = FileChannel.open(
                tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        records.put(record.id(), record);
    }

    /** Forgets the attachment. Idempotent. */
    public void remove(AttachmentId id) throws IOException {
        Files.deleteIfExists(file(id));
        records.remove(id);
    }

    private Path file(AttachmentId id) {
        return dir.resolve(Idents.key(id) + SUFFIX);
    }

    private static ObjectNode encode(AttachmentRecord r) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("version", 1);
        o.put("containerID", r.id().containerId());
        o.put("ifname", r.id().ifname());
        o.put("netns", r.netns());
        o.put("hostVeth", r.hostVeth());
        o.put("ident", r.ident());
        r.delegate().ifPresent(d -> o.put("delegate", d));
        r.address().ifPresent(a -> o.put("address", a.toString()));
        o.set("config", r.config());
        return o;
    }

    private static AttachmentRecord decode(JsonNode o) throws IOException {
        if (o.path("version").asInt() != 1 || !o.path("config").isObject()) {
            throw new IOException("not a version 1 attachment record");
        }
        return new AttachmentRecord(
                new AttachmentId(
                        o.path("containerID").asText(), o.path("ifname").asText()),
                o.path("netns").asText(),
                o.path("hostVeth").asText(),
                o.path("ident").asText(),
                o.hasNonNull("delegate") ? Optional.of(o.get("delegate").asText()) : Optional.empty(),
                o.hasNonNull("address")
                        ? Optional.of(IpPrefix.parse(o.get("address").asText()))
                        : Optional.empty(),
                (ObjectNode) o.get("config"));
    }
}
