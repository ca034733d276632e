package dev.weft.fastpath.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class HeartbeatFrameTest {
    private static final long DST = 0x02_11_22_33_44_55L;
    private static final long SRC = 0x02_66_77_88_99_aaL;

    @Test
    void roundTripAtTheFullLength() {
        ByteBuffer b = ByteBuffer.allocateDirect(1390);
        HeartbeatFrame.encode(b, DST, SRC, 0x0a0b0c0d0e0fL, 0x1122334455667788L, 42, 1390);
        assertThat(b.position()).isEqualTo(1390);
        b.flip();
        HeartbeatFrame.Heartbeat hb = HeartbeatFrame.decode(b);
        assertThat(hb).isEqualTo(new HeartbeatFrame.Heartbeat(DST, SRC, 0x0a0b0c0d0e0fL, 0x1122334455667788L, 42));
        assertThat(b.position()).as("not consumed").isZero();
        assertThat(b.get(12) & 0xff).isEqualTo(0x88);
        assertThat(b.get(13) & 0xff).isEqualTo(0xb5);
    }

    @Test
    void aTruncatedOrPaddedFrameIsNoHeartbeat() {
        ByteBuffer b = ByteBuffer.allocate(200);
        HeartbeatFrame.encode(b, DST, SRC, 1, 2, 3, 100);
        b.flip();
        assertThat(HeartbeatFrame.decode(b.duplicate().limit(99)))
                .as("truncated")
                .isNull();
        assertThat(HeartbeatFrame.decode(b.duplicate().limit(101)))
                .as("longer than it says")
                .isNull();
        assertThat(HeartbeatFrame.decode(b.duplicate().limit(20)))
                .as("too short for a header")
                .isNull();
    }

    @Test
    void otherEthertypeMagicOrVersionIsNoHeartbeat() {
        for (int at : new int[] {12, 14, 18}) {
            ByteBuffer b = ByteBuffer.allocate(60);
            HeartbeatFrame.encode(b, DST, SRC, 1, 2, 3, 60);
            b.flip();
            b.put(at, (byte) (b.get(at) ^ 0x40));
            assertThat(HeartbeatFrame.decode(b)).as("byte %d changed", at).isNull();
        }
    }

    @Test
    void lengthsOutsideTheLimitsAreRefused() {
        assertThatThrownBy(() -> HeartbeatFrame.encode(ByteBuffer.allocate(100), DST, SRC, 1, 2, 3, 43))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HeartbeatFrame.encode(ByteBuffer.allocate(100), DST, SRC, 1, 2, 3, 65536))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Property(tries = 2000)
    void decodingArbitraryBytesNeverThrows(
            @ForAll @Size(max = 300) byte[] bytes, @ForAll @IntRange(max = 3) int offset) {
        ByteBuffer b = ByteBuffer.allocate(bytes.length + offset);
        b.position(offset);
        b.put(bytes);
        b.position(offset);
        HeartbeatFrame.decode(b);
    }

    @Property(tries = 500)
    void anyFieldValuesRoundTrip(
            @ForAll long sender,
            @ForAll long uid,
            @ForAll long sequence,
            @ForAll @IntRange(min = 44, max = 2000) int length) {
        long name = sender & 0xffff_ffff_ffffL;
        ByteBuffer b = ByteBuffer.allocate(length);
        HeartbeatFrame.encode(b, 0, 0, name, uid, sequence, length);
        b.flip();
        assertThat(HeartbeatFrame.decode(b)).isEqualTo(new HeartbeatFrame.Heartbeat(0, 0, name, uid, sequence));
    }
}
