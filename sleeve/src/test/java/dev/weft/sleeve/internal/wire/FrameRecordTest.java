package dev.weft.sleeve.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.sleeve.api.Offload;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class FrameRecordTest {
    private final ByteBuffer b = ByteBuffer.allocate(200_000);
    private final FrameRecord.Parsed p = new FrameRecord.Parsed();

    @Test
    void plainRecordRoundTrips() {
        Offload o = new Offload();
        int h = FrameRecord.writeHeader(b, 0, 0x111111111111L, 0x222222222222L, false, 60, o);
        assertThat(h).isEqualTo(FrameRecord.HEADER);
        assertThat(FrameRecord.read(b, 0, h + 60, p)).isEqualTo(Malformed.NONE);
        assertThat(p.src).isEqualTo(0x111111111111L);
        assertThat(p.dst).isEqualTo(0x222222222222L);
        assertThat(p.flood).isFalse();
        assertThat(p.frameOffset).isEqualTo(16);
        assertThat(p.frameLength).isEqualTo(60);
        assertThat(p.next).isEqualTo(76);
        assertThat(p.offload.isPlain()).isTrue();
    }

    @Test
    void offloadedSuperFrameRoundTrips() {
        Offload o = new Offload();
        o.set(Offload.FLAG_NEEDS_CSUM, Offload.GSO_TCPV4, 66, 1348, 34, 16);
        int h = FrameRecord.writeHeader(b, 10, 1, 2, true, FrameRecord.MAX_FRAME, o);
        assertThat(h).isEqualTo(FrameRecord.MAX_HEADER);
        assertThat(FrameRecord.read(b, 10, 10 + h + FrameRecord.MAX_FRAME, p)).isEqualTo(Malformed.NONE);
        assertThat(p.flood).isTrue();
        assertThat(p.frameLength).isEqualTo(FrameRecord.MAX_FRAME);
        assertThat(p.offload.gsoType()).isEqualTo(Offload.GSO_TCPV4);
        assertThat(p.offload.gsoSize()).isEqualTo(1348);
        assertThat(p.offload.hdrLen()).isEqualTo(66);
        assertThat(p.offload.csumStart()).isEqualTo(34);
        assertThat(p.offload.csumOffset()).isEqualTo(16);
        assertThat(p.offload.flags()).isEqualTo(Offload.FLAG_NEEDS_CSUM);
    }

    @Test
    void rejectsTruncatedAndTrailingBytes() {
        int h = FrameRecord.writeHeader(b, 0, 1, 2, false, 60, new Offload());
        assertThat(FrameRecord.read(b, 0, h + 59, p)).isEqualTo(Malformed.TRUNCATED);
        assertThat(FrameRecord.read(b, 0, 5, p)).isEqualTo(Malformed.TRAILING_BYTES);
    }

    @Test
    void rejectsLengthsOutOfRange() {
        FrameRecord.writeHeader(b, 0, 1, 2, false, 13, new Offload());
        assertThat(FrameRecord.read(b, 0, 1000, p)).isEqualTo(Malformed.BAD_LENGTH);
        FrameRecord.writeHeader(b, 0, 1, 2, false, FrameRecord.MAX_FRAME + 1, new Offload());
        assertThat(FrameRecord.read(b, 0, 100_000, p)).isEqualTo(Malformed.BAD_LENGTH);
    }

    @Test
    void rejectsUnknownFlagsAndZeroPeers() {
        FrameRecord.writeHeader(b, 0, 1, 2, false, 60, new Offload());
        b.put(12, (byte) 0x80);
        assertThat(FrameRecord.read(b, 0, 76, p)).isEqualTo(Malformed.BAD_RECORD);
        FrameRecord.writeHeader(b, 0, 0, 2, false, 60, new Offload());
        assertThat(FrameRecord.read(b, 0, 76, p)).isEqualTo(Malformed.BAD_RECORD);
    }

    @Test
    void rejectsInconsistentOffload() {
        Offload o = new Offload();
        o.set(Offload.FLAG_NEEDS_CSUM, 0, 0, 0, 100, 16);
        int h = FrameRecord.writeHeader(b, 0, 1, 2, false, 60, o);
        assertThat(FrameRecord.read(b, 0, h + 60, p)).isEqualTo(Malformed.BAD_RECORD);
        o.clear();
        o.set(0, 2, 0, 0, 0, 0); // not a virtio GSO type
        h = FrameRecord.writeHeader(b, 0, 1, 2, false, 60, o);
        assertThat(FrameRecord.read(b, 0, h + 60, p)).isEqualTo(Malformed.BAD_RECORD);
        o.set(0, Offload.GSO_TCPV4, 0, 0, 0, 0); // GSO without a segment size
        h = FrameRecord.writeHeader(b, 0, 1, 2, false, 60, o);
        assertThat(FrameRecord.read(b, 0, h + 60, p)).isEqualTo(Malformed.BAD_RECORD);
    }
}
