package dev.weft.sleeve.internal.engine;

import dev.weft.sleeve.api.Frame;
import java.nio.ByteBuffer;

/**
 * Builds the ICMP "destination unreachable, fragmentation needed" (type 3, code 4, RFC 1191) that
 * answers an IPv4 don't-fragment frame too big for a sleeve link: addressed back to the frame's
 * sender (MACs and IP addresses swapped), carrying the link's MTU and the original IP header with
 * the first 8 bytes of its payload, so the sender's kernel lowers its path MTU and its TCP
 * resegments. Stateless.
 */
public final class IcmpTooBig {
    private IcmpTooBig() {}

    /**
     * Writes the answer to {@code original} into {@code out} at {@code at}. Returns the frame's
     * length, or 0 if {@code original} is not an IPv4 frame with a whole header.
     */
    public static int write(Frame original, int mtu, ByteBuffer out, int at) {
        if (!original.isIpv4()) {
            return 0;
        }
        ByteBuffer in = original.buffer();
        int o = original.offset();
        int ihl = (in.get(o + 14) & 0x0f) * 4;
        if (ihl < 20 || original.length() < 14 + ihl) {
            return 0;
        }
        int quoted = Math.min(ihl + 8, original.length() - 14);
        int ipLength = 20 + 8 + quoted;
        // Ethernet: back to the sender, from the MAC it sent to.
        out.put(at, in, o + 6, 6);
        out.put(at + 6, in, o, 6);
        out.putShort(at + 12, (short) Frame.ETHERTYPE_IPV4);
        int ip = at + 14;
        out.put(ip, (byte) 0x45);
        out.put(ip + 1, (byte) 0xc0); // precedence: internetwork control, as routers send ICMP
        out.putShort(ip + 2, (short) ipLength);
        out.putInt(ip + 4, 0);
        out.put(ip + 8, (byte) 64);
        out.put(ip + 9, (byte) 1);
        out.putShort(ip + 10, (short) 0);
        out.putInt(ip + 12, in.getInt(o + 14 + 16)); // from the original destination
        out.putInt(ip + 16, in.getInt(o + 14 + 12)); // to the original source
        out.putShort(ip + 10, (short) checksum(out, ip, 20));
        int icmp = ip + 20;
        out.put(icmp, (byte) 3);
        out.put(icmp + 1, (byte) 4);
        out.putShort(icmp + 2, (short) 0);
        out.putShort(icmp + 4, (short) 0);
        out.putShort(icmp + 6, (short) mtu);
        out.put(icmp + 8, in, o + 14, quoted);
        out.putShort(icmp + 2, (short) checksum(out, icmp, 8 + quoted));
        return 14 + ipLength;
    }

    /** The Internet checksum (RFC 1071) of {@code b[at, at + length)}. */
    public static int checksum(ByteBuffer b, int at, int length) {
        long sum = 0;
        int i = 0;
        for (; i + 1 < length; i += 2) {
            sum += b.getShort(at + i) & 0xffff;
        }
        if (i < length) {
            sum += (b.get(at + i) & 0xff) << 8;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }
}
