package dev.weft.gossip.runtime;

import dev.weft.gossip.api.PeerName;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a router's stable peer name comes from: the persisted file {@code <data-dir>/peer-name},
 * else a name derived from the machine id (so a reinstalled router on the same machine keeps its
 * name), else a random one; the result is persisted atomically. Derived and random names are
 * unicast, locally administered MAC-style values.
 */
public final class PeerNames {

    private static final Logger log = LoggerFactory.getLogger(PeerNames.class);
    private static final String FILE = "peer-name";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] SALT = "weft peer name v1:".getBytes(StandardCharsets.US_ASCII);

    private PeerNames() {}

    /**
     * The name persisted in {@code dataDir}, or a new one (derived from {@code machineIdFiles} if
     * one is readable, else random) that is then persisted.
     *
     * @throws IOException if the file exists but is not a peer name, or cannot be written
     */
    public static PeerName loadOrCreate(Path dataDir, Path... machineIdFiles) throws IOException {
        Path file = dataDir.resolve(FILE);
        if (Files.exists(file)) {
            String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
            try {
                return PeerName.parse(text);
            } catch (IllegalArgumentException e) {
                throw new IOException(file + " does not hold a peer name: " + e.getMessage(), e);
            }
        }
        PeerName name = derive(machineIdFiles);
        Files.createDirectories(dataDir);
        Path tmp = dataDir.resolve(FILE + ".tmp");
        Files.writeString(tmp, name + "\n", StandardCharsets.US_ASCII);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        log.info("peer name {} saved in {}", name, file);
        return name;
    }

    /** The default machine-id files of Linux. */
    public static Path[] defaultMachineIdFiles() {
        // The systemd and D-Bus machine ids live at these fixed paths on every Linux system.
        return new Path[] {Path.of("/", "etc", "machine-id"), Path.of("/", "var", "lib", "dbus", "machine-id")};
    }

    static PeerName derive(Path... machineIdFiles) {
        for (Path p : machineIdFiles) {
            try {
                String id = Files.readString(p, StandardCharsets.US_ASCII).strip();
                if (!id.isEmpty()) {
                    return fromSeed(id.getBytes(StandardCharsets.US_ASCII));
                }
            } catch (IOException e) {
                log.debug("no machine id in {}: {}", p, e.getMessage());
            }
        }
        byte[] r = new byte[16];
        RANDOM.nextBytes(r);
        return fromSeed(r);
    }

    /** SHA-256(salt || seed), first 6 bytes, multicast bit cleared, locally-administered bit set. */
    static PeerName fromSeed(byte[] seed) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(SALT);
            byte[] h = d.digest(seed);
            h[0] = (byte) ((h[0] & 0xFE) | 0x02);
            return PeerName.fromBytes(h, 0);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
