package dev.weft.gossip.internal.wire;

import dev.weft.gossip.api.PeerName;
import dev.weft.gossip.api.PeerUid;
import dev.weft.gossip.spi.Membership;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The per-peer metadata a membership service (scalecube) carries for us (docs/protocol.md,
 * "Membership metadata"): our own bounded binary format, never Java serialization. Big-endian.
 *
 * <pre>
 * u8  format (1)
 * 6   peer name (non-zero)
 * u64 UID (non-zero)
 * u16 mesh port (non-zero)
 * u8  host length h (0..45), h bytes: a literal IPv4/IPv6 address in ASCII; 0 = "the address the
 *     membership service sees me at"
 * u8  nickname length n, n bytes UTF-8
 * </pre>
 */
public final class MemberCodec {

    public static final int FORMAT = 1;

    /** Longest host literal (an IPv6 address in text). */
    public static final int MAX_HOST = 45;

    /** Largest encoding. */
    public static final int MAX_BYTES = 1 + 6 + 8 + 2 + 1 + MAX_HOST + 1 + 255;

    private MemberCodec() {}

    /** Encodes {@code m}; a wildcard or missing mesh host is sent as "use what you see". */
    public static byte[] encode(Membership.Member m) {
        if (m.name() == null || m.uid() == null || m.meshAddress() == null) {
            throw new IllegalArgumentException("a member announces its name, UID and mesh address");
        }
        InetAddress ip = m.meshAddress().getAddress();
        byte[] host = ip == null || ip.isAnyLocalAddress()
                ? new byte[0]
                : ip.getHostAddress().getBytes(StandardCharsets.US_ASCII);
        byte[] nick = m.nickname().getBytes(StandardCharsets.UTF_8);
        if (nick.length > 255) {
            throw new IllegalArgumentException("nickname longer than 255 bytes");
        }
        ByteBuffer b = ByteBuffer.allocate(1 + 6 + 8 + 2 + 1 + host.length + 1 + nick.length);
        b.put((byte) FORMAT);
        b.putShort((short) (m.name().value() >>> 32));
        b.putInt((int) m.name().value());
        b.putLong(m.uid().value());
        b.putShort((short) m.meshAddress().getPort());
        b.put((byte) host.length);
        b.put(host);
        b.put((byte) nick.length);
        b.put(nick);
        return b.array();
    }

    /**
     * Decodes metadata received from the membership service.
     *
     * @param seenHost the host the service reaches that member at, used when no host was sent
     * @throws ProtocolException on anything malformed, truncated or with trailing bytes
     */
    public static Membership.Member decode(byte[] bytes, String seenHost) {
        if (bytes.length > MAX_BYTES) {
            throw new ProtocolException("member metadata of " + bytes.length + " bytes exceeds " + MAX_BYTES);
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        need(b, 1 + 6 + 8 + 2 + 1);
        int format = b.get() & 0xFF;
        if (format != FORMAT) {
            throw new ProtocolException("unknown member metadata format " + format);
        }
        long name = ((long) (b.getShort() & 0xFFFF) << 32) | (b.getInt() & 0xFFFF_FFFFL);
        if (name == 0) {
            throw new ProtocolException("member metadata with the reserved name");
        }
        long uid = b.getLong();
        if (uid == 0) {
            throw new ProtocolException("member metadata with UID 0");
        }
        int port = b.getShort() & 0xFFFF;
        if (port == 0) {
            throw new ProtocolException("member metadata with mesh port 0");
        }
        int hl = b.get() & 0xFF;
        if (hl > MAX_HOST) {
            throw new ProtocolException("member host of " + hl + " bytes exceeds " + MAX_HOST);
        }
        need(b, hl + 1);
        byte[] host = new byte[hl];
        b.get(host);
        int nl = b.get() & 0xFF;
        need(b, nl);
        byte[] nick = new byte[nl];
        b.get(nick);
        if (b.hasRemaining()) {
            throw new ProtocolException(b.remaining() + " trailing bytes after member metadata");
        }
        InetSocketAddress mesh;
        if (hl > 0) {
            try {
                mesh = new InetSocketAddress(InetAddress.ofLiteral(literal(host)), port);
            } catch (IllegalArgumentException e) {
                throw new ProtocolException("member host is not an IP literal");
            }
        } else if (seenHost == null || seenHost.isEmpty()) {
            throw new ProtocolException("member metadata without a host, and none seen");
        } else {
            mesh = seen(seenHost, port);
        }
        return new Membership.Member(
                PeerName.of(name), new PeerUid(uid), new String(nick, StandardCharsets.UTF_8), mesh);
    }

    private static InetSocketAddress seen(String host, int port) {
        try {
            return new InetSocketAddress(InetAddress.ofLiteral(host), port);
        } catch (IllegalArgumentException notLiteral) {
            return InetSocketAddress.createUnresolved(host, port); // the transport resolves it when dialling
        }
    }

    /** An IP literal only (never a name to resolve): digits, hex, '.', ':'. */
    private static String literal(byte[] host) {
        for (byte c : host) {
            boolean ok =
                    (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == '.' || c == ':';
            if (!ok) {
                throw new ProtocolException("member host is not an IP literal");
            }
        }
        return new String(host, StandardCharsets.US_ASCII);
    }

    private static void need(ByteBuffer b, int n) {
        if (b.remaining() < n) {
            throw new ProtocolException("truncated member metadata");
        }
    }
}
