package dev.weft.sleeve.internal.overlay;

import dev.weft.sleeve.api.DataPlaneCipher;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The handshake feature a sleeve peer announces: {@code sleeve=1 port=6783
 * ciphers=aes-256-gcm,chacha20-poly1305}. The version lets a later sleeve refuse or adapt; the
 * port is where its datagrams go (the TCP connection's own port says nothing for an inbound
 * connection); the ciphers are its preference order.
 *
 * @param version sleeve protocol version (1)
 * @param port UDP port
 * @param ciphers encrypting ciphers in preference order
 */
public record SleeveFeature(int version, int port, List<DataPlaneCipher> ciphers) {
    public static final String KEY = "sleeve";
    public static final int VERSION = 1;

    public SleeveFeature {
        ciphers = List.copyOf(ciphers);
    }

    public String encode() {
        StringBuilder sb = new StringBuilder()
                .append(version)
                .append(" port=")
                .append(port)
                .append(" ciphers=");
        for (int i = 0; i < ciphers.size(); i++) {
            sb.append(i == 0 ? "" : ",").append(ciphers.get(i).displayName());
        }
        return sb.toString();
    }

    /**
     * Parses the feature value; empty for anything malformed (unknown ciphers are skipped, so a
     * newer peer's extra ciphers do not break the handshake).
     */
    public static Optional<SleeveFeature> parse(String value) {
        if (value == null || value.length() > 200) {
            return Optional.empty();
        }
        String[] parts = value.trim().split(" +");
        try {
            int version = Integer.parseInt(parts[0]);
            int port = -1;
            List<DataPlaneCipher> ciphers = new ArrayList<>();
            for (int i = 1; i < parts.length; i++) {
                if (parts[i].startsWith("port=")) {
                    port = Integer.parseInt(parts[i].substring(5));
                } else if (parts[i].startsWith("ciphers=")) {
                    for (String c : parts[i].substring(8).split(",")) {
                        DataPlaneCipher.fromName(c)
                                .filter(DataPlaneCipher::encrypts)
                                .ifPresent(ciphers::add);
                    }
                }
            }
            if (version < 1 || port < 1 || port > 65535) {
                return Optional.empty();
            }
            return Optional.of(new SleeveFeature(version, port, ciphers));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
