package dev.weft.sleeve.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class DatagramHeaderTest {
    private final ByteBuffer b = ByteBuffer.allocate(2048);

    private int write(int sealed, int offset, int fragment) {
        DatagramHeader.write(b, 0, DatagramHeader.KIND_DATA, 1, 0x0a0b0c0d0e0fL, sealed, offset, 0x1122334455667788L);
        return DatagramHeader.LENGTH + fragment;
    }

    @Test
    void roundTripsEveryField() {
        int len = write(1000, 0, 1000);
        assertThat(DatagramHeader.check(b, 0, len)).isEqualTo(Malformed.NONE);
        assertThat(DatagramHeader.version(b, 0)).isEqualTo(1);
        assertThat(DatagramHeader.kind(b, 0)).isEqualTo(DatagramHeader.KIND_DATA);
        assertThat(DatagramHeader.cipher(b, 0)).isEqualTo(1);
        assertThat(DatagramHeader.sender(b, 0)).isEqualTo(0x0a0b0c0d0e0fL);
        assertThat(DatagramHeader.sealedLength(b, 0)).isEqualTo(1000);
        assertThat(DatagramHeader.fragmentOffset(b, 0)).isZero();
        assertThat(DatagramHeader.seq(b, 0)).isEqualTo(0x1122334455667788L);
    }

    @Test
    void bigEndianLayoutIsAsDocumented() {
        write(0x010203, 0x000408, 8);
        assertThat(b.get(10)).isEqualTo((byte) 1);
        assertThat(b.get(11)).isEqualTo((byte) 2);
        assertThat(b.get(12)).isEqualTo((byte) 3);
        assertThat(b.get(4)).isEqualTo((byte) 0x0a);
        assertThat(b.get(9)).isEqualTo((byte) 0x0f);
        assertThat(b.get(16)).isEqualTo((byte) 0x11);
    }

    @Test
    void rejectsTruncated() {
        write(1, 0, 1);
        assertThat(DatagramHeader.check(b, 0, DatagramHeader.LENGTH)).isEqualTo(Malformed.TRUNCATED);
        assertThat(DatagramHeader.check(b, 0, 3)).isEqualTo(Malformed.TRUNCATED);
    }

    @Test
    void rejectsBadVersionKindAndReserved() {
        int len = write(100, 0, 100);
        b.put(0, (byte) 2);
        assertThat(DatagramHeader.check(b, 0, len)).isEqualTo(Malformed.BAD_VERSION);
        len = write(100, 0, 100);
        b.put(1, (byte) 0);
        assertThat(DatagramHeader.check(b, 0, len)).isEqualTo(Malformed.BAD_KIND);
        b.put(1, (byte) 4);
        assertThat(DatagramHeader.check(b, 0, len)).isEqualTo(Malformed.BAD_KIND);
        len = write(100, 0, 100);
        b.put(3, (byte) 1);
        assertThat(DatagramHeader.check(b, 0, len)).isEqualTo(Malformed.BAD_RESERVED);
    }

    @Test
    void rejectsLengthsOutOfRange() {
        int len = write(0, 0, 10);
        assertThat(DatagramHeader.check(b, 0, len)).isEqualTo(Malformed.BAD_LENGTH);
        len = write(DatagramHeader.MAX_SEALED + 1, 0, 10);
        assertThat(DatagramHeader.check(b, 0, len)).isEqualTo(Malformed.BAD_LENGTH);
    }

    @Test
    void rejectsFragmentsThatDoNotFit() {
        // past the end of the message
        assertThat(DatagramHeader.check(b, 0, write(100, 96, 8))).isEqualTo(Malformed.BAD_FRAGMENT);
        // misaligned offset
        assertThat(DatagramHeader.check(b, 0, write(100, 4, 8))).isEqualTo(Malformed.BAD_FRAGMENT);
        // a non-final fragment of unaligned length
        assertThat(DatagramHeader.check(b, 0, write(100, 0, 12))).isEqualTo(Malformed.BAD_FRAGMENT);
        // the final fragment may have any length
        assertThat(DatagramHeader.check(b, 0, write(100, 88, 12))).isEqualTo(Malformed.NONE);
    }

    @Test
    void rejectsTheUnknownSender() {
        DatagramHeader.write(b, 0, DatagramHeader.KIND_DATA, 1, 0, 10, 0, 1);
        assertThat(DatagramHeader.check(b, 0, DatagramHeader.LENGTH + 10)).isEqualTo(Malformed.BAD_SENDER);
    }

    @Test
    void aadIgnoresTheFragmentOffset() {
        ByteBuffer a1 = ByteBuffer.allocate(DatagramHeader.AAD_LENGTH);
        ByteBuffer a2 = ByteBuffer.allocate(DatagramHeader.AAD_LENGTH);
        DatagramHeader.writeAad(a1, 1, 1, 42, 5000, 7);
        DatagramHeader.write(a2, 0, 1, 1, 42, 5000, 0, 7);
        assertThat(a1).isEqualTo(a2);
    }
}
