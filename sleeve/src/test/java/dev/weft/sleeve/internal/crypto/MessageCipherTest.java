package dev.weft.sleeve.internal.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.gossip.spi.SessionKey;
import dev.weft.sleeve.api.DataPlaneCipher;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MessageCipherTest {
    private static final byte[] RAW = new byte[32];

    static {
        for (int i = 0; i < 32; i++) {
            RAW[i] = (byte) i;
        }
    }

    private static final SessionKey SESSION = new SessionKey(RAW);

    private static ByteBuffer aad(int v) {
        return ByteBuffer.allocate(24).putInt(0, v);
    }

    @ParameterizedTest
    @EnumSource(
            value = DataPlaneCipher.class,
            names = {"AES_256_GCM", "CHACHA20_POLY1305"})
    void sealsAndOpensAcrossDirectionsDerivedOnBothEnds(DataPlaneCipher c) {
        byte[] aToB = KeySchedule.directionKey(SESSION, c, 0xA, 0xB, 99);
        byte[] sameOnB = KeySchedule.directionKey(SESSION, c, 0xA, 0xB, 99);
        assertThat(aToB).isEqualTo(sameOnB);
        assertThat(KeySchedule.directionKey(SESSION, c, 0xB, 0xA, 99)).isNotEqualTo(aToB);
        assertThat(KeySchedule.directionKey(SESSION, c, 0xA, 0xB, 100)).isNotEqualTo(aToB);

        MessageCipher sealer = MessageCipher.sealer(c, aToB);
        MessageCipher opener = MessageCipher.opener(c, sameOnB);
        byte[] text = "the marker WEFT-PLAINTEXT-MARKER and more".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer sealed = ByteBuffer.allocateDirect(200);
        int n = sealer.seal(ByteBuffer.wrap(text), sealed, aad(1), 7);
        assertThat(n).isEqualTo(text.length + 16);
        sealed.flip();
        byte[] wire = new byte[n];
        sealed.duplicate().get(wire);
        assertThat(new String(wire, StandardCharsets.ISO_8859_1)).doesNotContain("MARKER");

        ByteBuffer plain = ByteBuffer.allocate(200);
        assertThat(opener.open(sealed.duplicate(), plain, aad(1), 7)).isEqualTo(text.length);
        assertThat(plain.flip()).isEqualTo(ByteBuffer.wrap(text));

        // wrong number, wrong aad, flipped bit: all rejected
        assertThat(opener.open(sealed.duplicate(), ByteBuffer.allocate(200), aad(1), 8))
                .isEqualTo(-1);
        assertThat(opener.open(sealed.duplicate(), ByteBuffer.allocate(200), aad(2), 7))
                .isEqualTo(-1);
        ByteBuffer tampered = sealed.duplicate();
        tampered.put(3, (byte) (tampered.get(3) ^ 1));
        assertThat(opener.open(tampered, ByteBuffer.allocate(200), aad(1), 7)).isEqualTo(-1);
        // too short to hold a tag
        assertThat(opener.open(ByteBuffer.allocate(5), ByteBuffer.allocate(200), aad(1), 7))
                .isEqualTo(-1);
    }

    @Test
    void aKeyFromAnotherSessionDoesNotOpen() {
        byte[] otherRaw = RAW.clone();
        otherRaw[0] ^= 1;
        SessionKey other = new SessionKey(otherRaw);
        DataPlaneCipher c = DataPlaneCipher.AES_256_GCM;
        MessageCipher sealer = MessageCipher.sealer(c, KeySchedule.directionKey(SESSION, c, 1, 2, 3));
        MessageCipher opener = MessageCipher.opener(c, KeySchedule.directionKey(other, c, 1, 2, 3));
        ByteBuffer sealed = ByteBuffer.allocate(100);
        sealer.seal(ByteBuffer.wrap(new byte[40]), sealed, aad(0), 0);
        assertThat(opener.open(sealed.flip(), ByteBuffer.allocate(100), aad(0), 0))
                .isEqualTo(-1);
    }

    @Test
    void refusesBadKeysAndRoles() {
        assertThat(KeySchedule.label(DataPlaneCipher.AES_256_GCM, 0x0a0b0c0d0e0fL, 1, 0x1234))
                .isEqualTo("sleeve aes-256-gcm 0a0b0c0d0e0f->000000000001 0000000000001234");
        assertThatThrownBy(() -> KeySchedule.directionKey(SESSION, DataPlaneCipher.NONE, 1, 2, 3))
                .isInstanceOf(IllegalArgumentException.class);
        MessageCipher opener = MessageCipher.opener(DataPlaneCipher.AES_256_GCM, new byte[32]);
        assertThatThrownBy(() -> opener.seal(ByteBuffer.allocate(1), ByteBuffer.allocate(40), aad(0), 0))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void agreementPicksTheDiallersFirstSharedCipher() {
        assertThat(DataPlaneCipher.agree(DataPlaneCipher.preferenceOrder(true), DataPlaneCipher.preferenceOrder(false)))
                .contains(DataPlaneCipher.AES_256_GCM);
        assertThat(DataPlaneCipher.agree(DataPlaneCipher.preferenceOrder(false), DataPlaneCipher.preferenceOrder(true)))
                .contains(DataPlaneCipher.CHACHA20_POLY1305);
        assertThat(DataPlaneCipher.agree(
                        java.util.List.of(DataPlaneCipher.CHACHA20_POLY1305),
                        java.util.List.of(DataPlaneCipher.AES_256_GCM)))
                .isEmpty();
    }
}
