package dev.weft.gossip.internal.wire;

import dev.weft.gossip.api.GossipChannel;
import dev.weft.gossip.api.PeerName;
import dev.weft.gossip.api.PeerUid;
import dev.weft.gossip.api.ShortId;
import dev.weft.gossip.spi.Hello;
import dev.weft.gossip.spi.MeshMessage;
import dev.weft.gossip.spi.OverlayControlSender;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Message bodies of protocol version 1 (docs/protocol.md, "Messages"): a tag byte and the fields of
 * that type, big-endian, every length checked against a hard limit. {@link #decode} consumes a
 * whole frame body and rejects anything malformed, truncated, oversized or followed by trailing
 * bytes with a {@link ProtocolException} naming the problem.
 */
public final class WireCodec {

    public static final int TAG_HEARTBEAT = 0;
    public static final int TAG_HELLO = 1;
    public static final int TAG_GOSSIP = 4;
    public static final int TAG_UNICAST = 5;
    public static final int TAG_BROADCAST = 6;
    public static final int TAG_OVERLAY_CONTROL = 7;
    public static final int TAG_REFUSAL = 8;

    /** Largest body (plaintext) of any message: a maximal gossip message plus its header. */
    public static final int MAX_BODY = GossipChannel.MAX_MESSAGE_BYTES + 1024;

    /** Largest hello body. */
    public static final int MAX_HELLO = 4096;

    public static final int MAX_FEATURES = 32;
    public static final int MAX_FEATURE_KEY = 64;
    public static final int MAX_FEATURE_VALUE = 1024;

    private WireCodec() {}

    // ---------------------------------------------------------------- encoding

    /** Writes the body of {@code message} (Hello, Heartbeat or MeshMessage) to {@code out}. */
    public static void encode(Object message, ByteBuf out) {
        switch (message) {
            case Heartbeat h -> out.writeByte(TAG_HEARTBEAT);
            case Hello h -> encodeHello(h, out);
            case MeshMessage.Gossip g -> {
                out.writeByte(TAG_GOSSIP);
                channel(out, g.channel());
                name(out, g.sender());
                out.writeBytes(g.payload());
            }
            case MeshMessage.Unicast u -> {
                out.writeByte(TAG_UNICAST);
                channel(out, u.channel());
                name(out, u.origin());
                name(out, u.destination());
                out.writeBytes(u.payload());
            }
            case MeshMessage.Broadcast b -> {
                out.writeByte(TAG_BROADCAST);
                channel(out, b.channel());
                name(out, b.origin());
                out.writeBytes(b.payload());
            }
            case MeshMessage.OverlayControl o -> {
                out.writeByte(TAG_OVERLAY_CONTROL);
                out.writeBytes(o.payload());
            }
            case MeshMessage.Refusal r -> encodeRefusal(r, out);
            default -> throw new IllegalArgumentException("not a wire message: " + message.getClass());
        }
    }

    private static void encodeHello(Hello h, ByteBuf out) {
        out.writeByte(TAG_HELLO);
        name(out, h.name());
        out.writeLong(h.uid().value());
        out.writeShort(h.shortId().map(ShortId::value).orElse(0xFFFF));
        byte[] nick = utf8(h.nickname(), 255, "nickname");
        out.writeByte(nick.length);
        out.writeBytes(nick);
        if (h.features().size() > MAX_FEATURES) {
            throw new IllegalArgumentException(
                    "too many features: " + h.features().size());
        }
        out.writeByte(h.features().size());
        for (Map.Entry<String, String> f : new java.util.TreeMap<>(h.features()).entrySet()) {
            byte[] k = ascii(f.getKey(), MAX_FEATURE_KEY, "feature key");
            byte[] v = utf8(f.getValue(), MAX_FEATURE_VALUE, "feature value");
            out.writeByte(k.length);
            out.writeBytes(k);
            out.writeShort(v.length);
            out.writeBytes(v);
        }
    }

    private static void encodeRefusal(MeshMessage.Refusal r, ByteBuf out) {
        out.writeByte(TAG_REFUSAL);
        out.writeByte(r.reason().ordinal());
        byte[] text =
                utf8(truncate(r.text(), MessageLimits.MAX_REFUSAL_TEXT), MessageLimits.MAX_REFUSAL_TEXT, "refusal");
        out.writeShort(text.length);
        out.writeBytes(text);
        int n = Math.min(r.referrals().size(), MessageLimits.MAX_REFERRALS);
        out.writeByte(n);
        for (int i = 0; i < n; i++) {
            byte[] a = ascii(r.referrals().get(i), MessageLimits.MAX_REFERRAL_BYTES, "referral");
            out.writeByte(a.length);
            out.writeBytes(a);
        }
    }

    private static String truncate(String s, int maxBytes) {
        // Characters may be up to 3 bytes in UTF-8 here; be safe.
        return s.length() > maxBytes / 3 ? s.substring(0, maxBytes / 3) : s;
    }

    private static void channel(ByteBuf out, String channel) {
        byte[] c = ascii(channel, GossipChannel.MAX_NAME_BYTES, "channel name");
        if (c.length == 0) {
            throw new IllegalArgumentException("empty channel name");
        }
        out.writeByte(c.length);
        out.writeBytes(c);
    }

    private static void name(ByteBuf out, PeerName n) {
        out.writeShort((int) (n.value() >>> 32));
        out.writeInt((int) n.value());
    }

    private static byte[] utf8(String s, int max, String what) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > max) {
            throw new IllegalArgumentException(what + " longer than " + max + " bytes");
        }
        return b;
    }

    private static byte[] ascii(String s, int max, String what) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw new IllegalArgumentException(what + " must be printable US-ASCII: '" + s + "'");
            }
        }
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        if (b.length > max) {
            throw new IllegalArgumentException(what + " longer than " + max + " bytes");
        }
        return b;
    }

    // ---------------------------------------------------------------- decoding

    /**
     * Decodes one whole body (the buffer's readable bytes, all of which must be used). Does not
     * release {@code body}.
     *
     * @return a {@link Heartbeat}, {@link Hello} or {@link MeshMessage}
     * @throws ProtocolException on anything malformed
     */
    public static Object decode(ByteBuf body) {
        int length = body.readableBytes();
        if (length == 0) {
            throw new ProtocolException("empty message");
        }
        int tag = body.readUnsignedByte();
        Object m =
                switch (tag) {
                    case TAG_HEARTBEAT -> Heartbeat.INSTANCE;
                    case TAG_HELLO -> {
                        if (length > MAX_HELLO) {
                            throw new ProtocolException("hello of " + length + " bytes exceeds " + MAX_HELLO);
                        }
                        yield decodeHello(body);
                    }
                    case TAG_GOSSIP ->
                        new MeshMessage.Gossip(
                                readChannel(body), readName(body), payload(body, GossipChannel.MAX_MESSAGE_BYTES));
                    case TAG_UNICAST ->
                        new MeshMessage.Unicast(
                                readChannel(body),
                                readName(body),
                                readName(body),
                                payload(body, GossipChannel.MAX_MESSAGE_BYTES));
                    case TAG_BROADCAST ->
                        new MeshMessage.Broadcast(
                                readChannel(body), readName(body), payload(body, GossipChannel.MAX_MESSAGE_BYTES));
                    case TAG_OVERLAY_CONTROL ->
                        new MeshMessage.OverlayControl(payload(body, OverlayControlSender.MAX_BYTES));
                    case TAG_REFUSAL -> decodeRefusal(body);
                    default -> throw new ProtocolException("unknown message tag " + tag);
                };
        if (body.isReadable()) {
            throw new ProtocolException(body.readableBytes() + " trailing bytes after message tag " + tag);
        }
        return m;
    }

    private static void need(ByteBuf b, int n, String what) {
        if (b.readableBytes() < n) {
            throw new ProtocolException("truncated message: " + what);
        }
    }

    private static PeerName readName(ByteBuf b) {
        need(b, 6, "peer name");
        long v = ((long) b.readUnsignedShort() << 32) | b.readUnsignedInt();
        if (v == 0) {
            throw new ProtocolException("reserved peer name 00:00:00:00:00:00");
        }
        return PeerName.of(v);
    }

    private static String readChannel(ByteBuf b) {
        need(b, 1, "channel name length");
        int n = b.readUnsignedByte();
        if (n == 0 || n > GossipChannel.MAX_NAME_BYTES) {
            throw new ProtocolException(
                    "channel name length " + n + " out of range 1.." + GossipChannel.MAX_NAME_BYTES);
        }
        need(b, n, "channel name");
        return readAscii(b, n, "channel name");
    }

    private static String readAscii(ByteBuf b, int n, String what) {
        byte[] raw = new byte[n];
        b.readBytes(raw);
        for (byte c : raw) {
            if (c < 0x21 || c > 0x7e) {
                throw new ProtocolException(what + " is not printable US-ASCII");
            }
        }
        return new String(raw, StandardCharsets.US_ASCII);
    }

    private static byte[] payload(ByteBuf b, int max) {
        int n = b.readableBytes();
        if (n > max) {
            throw new ProtocolException("payload of " + n + " bytes exceeds " + max);
        }
        byte[] p = new byte[n];
        b.readBytes(p);
        return p;
    }

    private static Hello decodeHello(ByteBuf b) {
        PeerName name = readName(b);
        need(b, 8 + 2 + 1, "hello fields");
        long uid = b.readLong();
        if (uid == 0) {
            throw new ProtocolException("hello with UID 0");
        }
        int sid = b.readUnsignedShort();
        if (sid != 0xFFFF && sid >= ShortId.COUNT) {
            throw new ProtocolException("short ID out of range: " + sid);
        }
        int nickLen = b.readUnsignedByte();
        need(b, nickLen, "nickname");
        String nick = b.readCharSequence(nickLen, StandardCharsets.UTF_8).toString();
        need(b, 1, "feature count");
        int count = b.readUnsignedByte();
        if (count > MAX_FEATURES) {
            throw new ProtocolException("too many features: " + count);
        }
        Map<String, String> features = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            need(b, 1, "feature key length");
            int kl = b.readUnsignedByte();
            if (kl == 0 || kl > MAX_FEATURE_KEY) {
                throw new ProtocolException("feature key length " + kl + " out of range");
            }
            need(b, kl, "feature key");
            String k = readAscii(b, kl, "feature key");
            need(b, 2, "feature value length");
            int vl = b.readUnsignedShort();
            if (vl > MAX_FEATURE_VALUE) {
                throw new ProtocolException("feature value length " + vl + " exceeds " + MAX_FEATURE_VALUE);
            }
            need(b, vl, "feature value");
            String v = b.readCharSequence(vl, StandardCharsets.UTF_8).toString();
            if (features.put(k, v) != null) {
                throw new ProtocolException("duplicate feature " + k);
            }
        }
        return new Hello(
                name,
                new PeerUid(uid),
                nick,
                sid == 0xFFFF ? Optional.empty() : Optional.of(ShortId.of(sid)),
                0,
                features);
    }

    private static MeshMessage.Refusal decodeRefusal(ByteBuf b) {
        need(b, 1 + 2, "refusal fields");
        int reason = b.readUnsignedByte();
        MeshMessage.RefusalReason[] reasons = MeshMessage.RefusalReason.values();
        if (reason >= reasons.length) {
            throw new ProtocolException("unknown refusal reason " + reason);
        }
        int tl = b.readUnsignedShort();
        if (tl > MessageLimits.MAX_REFUSAL_TEXT) {
            throw new ProtocolException("refusal text of " + tl + " bytes exceeds " + MessageLimits.MAX_REFUSAL_TEXT);
        }
        need(b, tl, "refusal text");
        String text = b.readCharSequence(tl, StandardCharsets.UTF_8).toString();
        need(b, 1, "referral count");
        int n = b.readUnsignedByte();
        if (n > MessageLimits.MAX_REFERRALS) {
            throw new ProtocolException("too many referrals: " + n);
        }
        List<String> refs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            need(b, 1, "referral length");
            int l = b.readUnsignedByte();
            if (l == 0 || l > MessageLimits.MAX_REFERRAL_BYTES) {
                throw new ProtocolException("referral length " + l + " out of range");
            }
            need(b, l, "referral");
            refs.add(readAscii(b, l, "referral"));
        }
        return new MeshMessage.Refusal(reasons[reason], text, refs);
    }
}
