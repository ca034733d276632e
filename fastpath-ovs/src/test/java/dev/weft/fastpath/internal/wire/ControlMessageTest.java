package dev.weft.fastpath.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class ControlMessageTest {

    @Test
    void heartbeatAckRoundTrips() {
        byte[] wire = ControlMessage.heartbeatAck(0x0102030405060708L, 99).encode();
        assertThat(wire).hasSize(ControlMessage.LENGTH);
        assertThat(wire[0]).isEqualTo((byte) 1);
        assertThat(wire[1]).isEqualTo((byte) ControlMessage.HEARTBEAT_ACK);
        assertThat(wire[2]).as("big-endian UID").isEqualTo((byte) 1);
        assertThat(ControlMessage.decode(wire)).isEqualTo(ControlMessage.heartbeatAck(0x0102030405060708L, 99));
    }

    @Test
    void malformedMessagesAreRefusedWithTheReason() {
        byte[] good = ControlMessage.heartbeatAck(1, 2).encode();
        assertThatThrownBy(() -> ControlMessage.decode(new byte[17])).hasMessageContaining("must be 18 bytes, got 17");
        assertThatThrownBy(() -> ControlMessage.decode(null)).hasMessageContaining("got none");
        byte[] version = good.clone();
        version[0] = 2;
        assertThatThrownBy(() -> ControlMessage.decode(version))
                .hasMessageContaining("unknown fast-path control version 2");
        byte[] type = good.clone();
        type[1] = 9;
        assertThatThrownBy(() -> ControlMessage.decode(type)).hasMessageContaining("type 9");
    }

    @Property(tries = 2000)
    void decodingArbitraryBytesOnlyThrowsIllegalArgument(@ForAll @Size(max = 40) byte[] bytes) {
        try {
            ControlMessage m = ControlMessage.decode(bytes);
            assertThat(ControlMessage.decode(m.encode())).isEqualTo(m);
        } catch (IllegalArgumentException expected) {
            // refused with a reason
        }
    }
}
