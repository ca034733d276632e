package dev.weft.sleeve.internal.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class ControlMessageTest {
    @Test
    void roundTrips() {
        assertThat(ControlMessage.decode(ControlMessage.heartbeatAck(-5L).encode()))
                .isEqualTo(ControlMessage.heartbeatAck(-5L));
        assertThat(ControlMessage.decode(ControlMessage.probeAck(65_507).encode()))
                .isEqualTo(ControlMessage.probeAck(65_507));
        assertThat(ControlMessage.heartbeatAck(1).encode()).hasSize(10);
        assertThat(ControlMessage.probeAck(1).encode()).containsExactly(1, 2, 0, 1);
    }

    @Test
    void rejectsMalformedInputWithAReason() {
        assertThatThrownBy(() -> ControlMessage.decode(new byte[] {1})).hasMessageContaining("truncated");
        assertThatThrownBy(() -> ControlMessage.decode(new byte[] {2, 1, 0, 0})).hasMessageContaining("version 2");
        assertThatThrownBy(() -> ControlMessage.decode(new byte[] {1, 9, 0, 0})).hasMessageContaining("type 9");
        assertThatThrownBy(() -> ControlMessage.decode(new byte[] {1, 1, 0, 0})).hasMessageContaining("10 bytes");
        assertThatThrownBy(() -> ControlMessage.decode(new byte[] {1, 2, 0, 0, 0}))
                .hasMessageContaining("4 bytes");
        assertThatThrownBy(() -> ControlMessage.probeAck(70_000)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Any bytes: a message or an IllegalArgumentException, nothing else. */
    @Property(tries = 2000)
    void decodesOrRejectsAnyBytes(@ForAll byte[] bytes) {
        try {
            ControlMessage m = ControlMessage.decode(bytes);
            assertThat(m.encode()).isEqualTo(bytes);
        } catch (IllegalArgumentException expected) {
            assertThat(expected.getMessage()).startsWith("sleeve ");
        }
    }
}
