package dev.weft.router.kernel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads the Ethernet frames of a classic pcap file (tcpdump -w), for wire assertions. */
final class Pcap {
    private Pcap() {}

    static List<byte[]> frames(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file));
        List<byte[]> frames = new ArrayList<>();
        if (b.remaining() < 24) {
            return frames;
        }
        int magic = b.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        if (magic != 0xa1b2c3d4 && magic != 0xa1b23c4d) {
            b.order(ByteOrder.BIG_ENDIAN);
        }
        int at = 24;
        while (at + 16 <= b.limit()) {
            int captured = b.getInt(at + 8);
            at += 16;
            if (captured < 0 || at + captured > b.limit()) {
                break;
            }
            byte[] f = new byte[captured];
            b.get(at, f);
            frames.add(f);
            at += captured;
        }
        return frames;
    }

    /** The UDP payload of an Ethernet/IPv4/UDP frame to {@code port}, or null. */
    static byte[] udpPayload(byte[] frame, int port) {
        ByteBuffer b = ByteBuffer.wrap(frame);
        if (frame.length < 42 || b.getShort(12) != 0x0800 || frame[23] != 17) {
            return null;
        }
        int ihl = (frame[14] & 0x0f) * 4;
        int udp = 14 + ihl;
        if ((b.getShort(udp + 2) & 0xffff) != port) {
            return null;
        }
        int len = (b.getShort(udp + 4) & 0xffff) - 8;
        if (len < 0 || udp + 8 + len > frame.length) {
            return null;
        }
        byte[] p = new byte[len];
        b.get(udp + 8, p);
        return p;
    }

    static boolean contains(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
