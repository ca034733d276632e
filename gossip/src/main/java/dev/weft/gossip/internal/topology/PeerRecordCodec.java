package dev.weft.gossip.internal.topology;

import dev.weft.gossip.api.ConnectionInfo;
import dev.weft.gossip.api.GossipException;
import dev.weft.gossip.api.PeerName;
import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The binary form of a {@link PeerRecord} (docs/protocol.md, "Topology record"). Big-endian.
 *
 * <pre>
 * u8  format (1)
 * 6   name
 * u64 uid (non-zero)
 * u64 version
 * u16 short ID (0xFFFF: none; else 0..4095)
 * u8  nickname length n, then n bytes UTF-8
 * u8  advertised address count a (at most 8), then a addresses
 * u16 connection count c (at most 4096), then c connections:
 *       6 remote name, u8 flags (bit 0 outbound, bit 1 established, others 0), address
 * address := u8 family (0 none, 4 IPv4, 6 IPv6), then 4 or 16 bytes and u16 port (none: nothing)
 * </pre>
 */
public final class PeerRecordCodec {

    /** The only record format this code writes and reads. */
    public static final int FORMAT = 1;

    /** Most connections one record may list (the short-ID space bounds the mesh anyway). */
    public static final int MAX_CONNECTIONS = 4096;

    /** Most advertised addresses. */
    public static final int MAX_ADDRESSES = 8;

    static final int FLAG_OUTBOUND = 1;
    static final int FLAG_ESTABLISHED = 2;
    private static final int NO_SHORT_ID = 0xFFFF;

    private PeerRecordCodec() {}

    /** Encodes a record. Addresses may be null (encoded as "none"). */
    public static PeerRecord encode(
            PeerName name,
            long uid,
            long version,
            int shortId,
            String nickname,
            List<InetSocketAddress> advertised,
            List<ConnectionInfo> connections) {
        if (connections.size() > MAX_CONNECTIONS) {
            throw new IllegalArgumentException("too many connections: " + connections.size());
        }
        byte[] nick = nickname.getBytes(StandardCharsets.UTF_8);
        if (nick.length > 255) {
            throw new IllegalArgumentException("nickname longer than 255 bytes");
        }
        int nAddr = Math.min(advertised.size(), MAX_ADDRESSES);
        ByteArrayOutputStream out = new ByteArrayOutputStream(40 + nick.length + connections.size() * 14);
        out.write(FORMAT);
        writeName(out, name.value());
        writeLong(out, uid);
        writeLong(out, version);
        writeShort(out, shortId < 0 ? NO_SHORT_ID : shortId);
        out.write(nick.length);
        out.write(nick, 0, nick.length);
        int addressesOffset = out.size();
        out.write(nAddr);
        for (int i = 0; i < nAddr; i++) {
            writeAddress(out, advertised.get(i));
        }
        int connectionsOffset = out.size() + 2;
        writeShort(out, connections.size());
        for (ConnectionInfo c : connections) {
            writeName(out, c.remote().value());
            out.write((c.outbound() ? FLAG_OUTBOUND : 0) | (c.established() ? FLAG_ESTABLISHED : 0));
            writeAddress(out, c.remoteAddress());
        }
        byte[] bytes = out.toByteArray();
        return new PeerRecord(
                name, uid, version, shortId, nickname, bytes, addressesOffset, connectionsOffset, connections.size());
    }

    /**
     * Decodes and validates a whole record; {@code bytes} is retained (the caller must not modify
     * it).
     *
     * @throws GossipException on any malformed, truncated or trailing input
     */
    public static PeerRecord decode(byte[] bytes) {
        Reader r = new Reader(bytes);
        int format = r.u8();
        if (format != FORMAT) {
            throw new GossipException("unknown topology record format " + format);
        }
        long name = r.name();
        if (name == 0) {
            throw new GossipException("topology record for the reserved name 00:00:00:00:00:00");
        }
        long uid = r.u64();
        if (uid == 0) {
            throw new GossipException("topology record with UID 0");
        }
        long version = r.u64();
        int sid = r.u16();
        if (sid != NO_SHORT_ID && sid >= 4096) {
            throw new GossipException("short ID out of range: " + sid);
        }
        int nickLen = r.u8();
        String nickname = r.utf8(nickLen);
        int addressesOffset = r.pos;
        int nAddr = r.u8();
        if (nAddr > MAX_ADDRESSES) {
            throw new GossipException("too many advertised addresses: " + nAddr);
        }
        for (int i = 0; i < nAddr; i++) {
            r.address();
        }
        int count = r.u16();
        if (count > MAX_CONNECTIONS) {
            throw new GossipException("too many connections in record: " + count);
        }
        int connectionsOffset = r.pos;
        for (int i = 0; i < count; i++) {
            long remote = r.name();
            if (remote == 0 || remote == name) {
                throw new GossipException(
                        "record lists a connection to " + (remote == 0 ? "the reserved name" : "itself"));
            }
            int flags = r.u8();
            if ((flags & ~3) != 0) {
                throw new GossipException("unknown connection flags " + flags);
            }
            r.address();
        }
        if (r.pos != bytes.length) {
            throw new GossipException("trailing bytes after topology record: " + (bytes.length - r.pos));
        }
        return new PeerRecord(
                PeerName.of(name),
                uid,
                version,
                sid == NO_SHORT_ID ? -1 : sid,
                nickname,
                bytes,
                addressesOffset,
                connectionsOffset,
                count);
    }

    /**
     * Reads only the header fields that decide whether a record is news (name, UID, version, short
     * ID presence) without validating the rest: the cheap path for the many duplicates epidemic
     * gossip delivers. Returns false if even the header is malformed.
     */
    public static boolean peekHeader(byte[] bytes, long[] out) {
        if (bytes.length < 1 + 6 + 8 + 8 + 2 || bytes[0] != FORMAT) {
            return false;
        }
        out[0] = readName(bytes, 1);
        out[1] = readLong(bytes, 7);
        out[2] = readLong(bytes, 15);
        out[3] = ((bytes[23] & 0xFF) << 8) | (bytes[24] & 0xFF);
        return true;
    }

    static long readName(byte[] b, int p) {
        long v = 0;
        for (int i = 0; i < 6; i++) {
            v = (v << 8) | (b[p + i] & 0xFF);
        }
        return v;
    }

    static long readLong(byte[] b, int p) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[p + i] & 0xFF);
        }
        return v;
    }

    /** Position after the address starting at {@code p} (input already validated). */
    static int skipAddress(byte[] b, int p) {
        int family = b[p];
        return switch (family) {
            case 4 -> p + 1 + 4 + 2;
            case 6 -> p + 1 + 16 + 2;
            default -> p + 1;
        };
    }

    static InetSocketAddress readAddress(byte[] b, int p) {
        int family = b[p];
        int len = family == 4 ? 4 : family == 6 ? 16 : 0;
        if (len == 0) {
            return null;
        }
        byte[] ip = new byte[len];
        System.arraycopy(b, p + 1, ip, 0, len);
        int port = ((b[p + 1 + len] & 0xFF) << 8) | (b[p + 2 + len] & 0xFF);
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 bytes are always an address", e);
        }
    }

    private static void writeName(ByteArrayOutputStream out, long v) {
        for (int i = 5; i >= 0; i--) {
            out.write((int) (v >>> (8 * i)));
        }
    }

    private static void writeLong(ByteArrayOutputStream out, long v) {
        for (int i = 7; i >= 0; i--) {
            out.write((int) (v >>> (8 * i)));
        }
    }

    private static void writeShort(ByteArrayOutputStream out, int v) {
        out.write(v >>> 8);
        out.write(v);
    }

    private static void writeAddress(ByteArrayOutputStream out, InetSocketAddress a) {
        if (a == null || a.getAddress() == null) {
            out.write(0);
            return;
        }
        InetAddress ip = a.getAddress();
        byte[] raw = ip.getAddress();
        out.write(ip instanceof Inet4Address ? 4 : ip instanceof Inet6Address ? 6 : 0);
        out.write(raw, 0, raw.length);
        writeShort(out, a.getPort());
    }

    /** A bounds-checked cursor that fails with a GossipException. */
    private static final class Reader {
        private final byte[] b;
        int pos;

        Reader(byte[] b) {
            this.b = b;
        }

        private void need(int n) {
            if (b.length - pos < n) {
                throw new GossipException("truncated topology record at byte " + pos);
            }
        }

        int u8() {
            need(1);
            return b[pos++] & 0xFF;
        }

        int u16() {
            need(2);
            int v = ((b[pos] & 0xFF) << 8) | (b[pos + 1] & 0xFF);
            pos += 2;
            return v;
        }

        long u64() {
            need(8);
            long v = readLong(b, pos);
            pos += 8;
            return v;
        }

        long name() {
            need(6);
            long v = readName(b, pos);
            pos += 6;
            return v;
        }

        String utf8(int n) {
            need(n);
            String s = new String(b, pos, n, StandardCharsets.UTF_8);
            pos += n;
            return s;
        }

        void address() {
            int family = u8();
            switch (family) {
                case 0 -> {}
                case 4 -> need(6);
                case 6 -> need(18);
                default -> throw new GossipException("unknown address family " + family);
            }
            if (family == 4) {
                pos += 6;
            } else if (family == 6) {
                pos += 18;
            }
        }
    }
}
