package dev.weft.sleeve.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class ReassemblerTest {
    private final Reassembler r = new Reassembler(2, ByteBuffer::allocate);
    private final ByteBuffer message = ByteBuffer.allocate(3000);

    ReassemblerTest() {
        for (int i = 0; i < message.capacity(); i++) {
            message.put(i, (byte) (i * 7));
        }
    }

    private int give(long seq, int offset, int length) {
        return r.accept(seq, 3000, offset, message, offset, length);
    }

    @Test
    void completesInAnyOrderAndKeepsTheBytes() {
        assertThat(give(1, 2000, 1000)).isEqualTo(Reassembler.INCOMPLETE);
        assertThat(give(1, 0, 1000)).isEqualTo(Reassembler.INCOMPLETE);
        int slot = give(1, 1000, 1000);
        assertThat(slot).isGreaterThanOrEqualTo(0);
        assertThat(r.buffer(slot).slice(0, 3000)).isEqualTo(message.slice(0, 3000));
        r.release(slot);
    }

    @Test
    void dropsDuplicatesAndOverlapsWithoutCountingThem() {
        give(1, 0, 1000);
        assertThat(give(1, 0, 1000)).isEqualTo(Reassembler.REJECTED);
        assertThat(give(1, 992, 16)).isEqualTo(Reassembler.REJECTED);
        give(1, 1000, 1000);
        assertThat(give(1, 2000, 1000)).isGreaterThanOrEqualTo(0);
    }

    @Test
    void rejectsAFragmentThatDisagreesOnTheLength() {
        give(1, 0, 1000);
        assertThat(r.accept(1, 2000, 1000, message, 1000, 1000)).isEqualTo(Reassembler.REJECTED);
    }

    @Test
    void evictsTheLeastRecentlyTouchedMessage() {
        give(1, 0, 1000);
        give(2, 0, 1000);
        give(1, 1000, 1000);
        give(3, 0, 1000); // evicts 2
        assertThat(r.evictions()).isEqualTo(1);
        assertThat(give(1, 2000, 1000)).isGreaterThanOrEqualTo(0);
        assertThat(give(2, 1000, 1000)).isEqualTo(Reassembler.INCOMPLETE); // restarted, not completed
    }
}
