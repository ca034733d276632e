package dev.weft.sleeve.api;

import java.util.List;
import java.util.Optional;

/**
 * The authenticated encryption a sleeve connection seals its datagrams with. Chosen per
 * connection: both ends announce what they support in preference order and the dialling side's
 * first choice that the other side also supports wins (see {@code docs/protocol.md}).
 *
 * <p>Why not NaCl's XSalsa20-Poly1305 (what Weave's sleeve used): on Temurin 25 the only Java
 * implementation, BouncyCastle's, seals about 150 MB/s per core, which caps a connection near
 * 1.2 Gbit/s before any I/O. The JDK's AES-256-GCM runs on AES-NI and CLMUL intrinsics (about 2
 * GB/s here) and its ChaCha20-Poly1305 on vector intrinsics (about 0.8 GB/s). Both are 256-bit
 * AEADs with 96-bit nonces built from a 64-bit message counter, so the NaCl-style construction
 * (X25519 agreement, per-direction keys, counter nonces, replay window) stays the same.
 */
public enum DataPlaneCipher {
    /** No encryption: the connection has no password (or both ends trust the underlay). */
    NONE(0, "none", 0),
    /** AES-256 in Galois/Counter mode, 128-bit tag. The default where the CPU has AES-NI. */
    AES_256_GCM(1, "aes-256-gcm", 16),
    /** ChaCha20-Poly1305 (RFC 8439), 128-bit tag. The default on CPUs without AES instructions. */
    CHACHA20_POLY1305(2, "chacha20-poly1305", 16);

    private final int wireId;
    private final String displayName;
    private final int tagBytes;

    DataPlaneCipher(int wireId, String displayName, int tagBytes) {
        this.wireId = wireId;
        this.displayName = displayName;
        this.tagBytes = tagBytes;
    }

    /** The identifier carried in every datagram header and in the overlay hello. */
    public int wireId() {
        return wireId;
    }

    /** The lower-case name used in status output and configuration. */
    public String displayName() {
        return displayName;
    }

    /** Bytes the authentication tag adds to every sealed message (0 for {@link #NONE}). */
    public int tagBytes() {
        return tagBytes;
    }

    /** True unless this is {@link #NONE}. */
    public boolean encrypts() {
        return this != NONE;
    }

    /** The cipher with this wire identifier, if there is one. */
    public static Optional<DataPlaneCipher> fromWireId(int id) {
        for (DataPlaneCipher c : values()) {
            if (c.wireId == id) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** The cipher with this display name (case-insensitive), if there is one. */
    public static Optional<DataPlaneCipher> fromName(String name) {
        for (DataPlaneCipher c : values()) {
            if (c.displayName.equalsIgnoreCase(name) || c.name().equalsIgnoreCase(name)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /**
     * The encrypting ciphers in the order this machine prefers them: AES-256-GCM first when the
     * CPU has AES and carry-less multiply instructions (the JDK then uses its intrinsics),
     * ChaCha20-Poly1305 first otherwise.
     */
    public static List<DataPlaneCipher> preferenceOrder(boolean cpuHasAesInstructions) {
        return cpuHasAesInstructions
                ? List.of(AES_256_GCM, CHACHA20_POLY1305)
                : List.of(CHACHA20_POLY1305, AES_256_GCM);
    }

    /**
     * The cipher both ends use: the first entry of the dialler's list the listener supports.
     *
     * @param diallerOrder the outbound side's preference order
     * @param listenerSupported what the inbound side supports
     * @return the agreed cipher, or empty if they share none
     */
    public static Optional<DataPlaneCipher> agree(
            List<DataPlaneCipher> diallerOrder, List<DataPlaneCipher> listenerSupported) {
        for (DataPlaneCipher c : diallerOrder) {
            if (c.encrypts() && listenerSupported.contains(c)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
