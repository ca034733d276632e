package dev.weft.gossip.internal.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Secretbox and X25519 against vectors computed with libsodium 1.0.18; HKDF key agreement. */
class CryptoTest {

    private static final HexFormat HEX = HexFormat.of();

    private static byte[] seq(int from, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (from + i);
        }
        return b;
    }

    @Test
    void secretboxMatchesLibsodium() {
        byte[] key = seq(0, 32);
        byte[] nonce = seq(100, 24);
        byte[] msg = "weft secretbox test vector: the quick brown fox jumps over the lazy dog"
                .getBytes(StandardCharsets.US_ASCII);
        byte[] expected = HEX.parseHex(
                "6b68bda55921b8fcceca2a20f0f8490375dcffbd1ac5ab8ac29857f658fc836c5bd94c8792c3286f"
                        + "c97e78b47ee3aca8d91a9d7b2417f9969a617942667ca545abe5c36861a6562966937370b3d7be0822f1354dac532f");
        byte[] out = new byte[msg.length + 16];
        new SecretBox(key).seal(nonce, msg, 0, msg.length, out, 0);
        assertThat(HEX.formatHex(out)).isEqualTo(HEX.formatHex(expected));
        byte[] back = new byte[msg.length];
        assertThat(new SecretBox(key).open(nonce, out, 0, out.length, back, 0)).isTrue();
        assertThat(back).isEqualTo(msg);
    }

    @Test
    void secretboxRejectsTamperingWrongNonceAndShortInput() {
        SecretBox box = new SecretBox(seq(7, 32));
        byte[] nonce = seq(1, 24);
        byte[] msg = seq(50, 100);
        byte[] sealed = new byte[116];
        box.seal(nonce, msg, 0, 100, sealed, 0);
        byte[] out = new byte[100];
        for (int i = 0; i < sealed.length; i += 7) {
            byte[] t = sealed.clone();
            t[i] ^= 1;
            assertThat(box.open(nonce, t, 0, t.length, out, 0))
                    .as("flipped byte %d", i)
                    .isFalse();
        }
        byte[] otherNonce = nonce.clone();
        otherNonce[23]++;
        assertThat(box.open(otherNonce, sealed, 0, sealed.length, out, 0)).isFalse();
        assertThat(box.open(nonce, sealed, 0, 15, out, 0)).isFalse();
        assertThat(box.open(nonce, sealed, 0, sealed.length, out, 0)).isTrue();
    }

    @Test
    void x25519MatchesLibsodiumAndBothSidesDeriveTheSameKeys() {
        byte[] a = HEX.parseHex("01080f161d242b323940474e555c636a71787f868d949ba2a9b0b7bec5ccd3da");
        byte[] b = HEX.parseHex("05121f2c394653606d7a8794a1aebbc8d5e2effc091623303d4a5764717e8b98");
        byte[] pubA = HEX.parseHex("c8feca81be196cdf2cadeabf13c4903d7632dce4955aa68b6e5d9adef54e2616");
        byte[] pubB = HEX.parseHex("c25e8b84378b21071d603dfce3f947b162b6e715240344db0a18d99259a6de23");
        byte[] pw = "pw".getBytes(StandardCharsets.UTF_8);
        SessionSecrets dialer = SessionSecrets.derive(a, pubB, pw, pubA, pubB, 11, 22);
        SessionSecrets acceptor = SessionSecrets.derive(b, pubA, pw, pubA, pubB, 11, 22);
        assertThat(dialer.dialerToAcceptor).isEqualTo(acceptor.dialerToAcceptor);
        assertThat(dialer.acceptorToDialer).isEqualTo(acceptor.acceptorToDialer);
        assertThat(dialer.dialerToAcceptor).isNotEqualTo(dialer.acceptorToDialer);
        assertThat(dialer.overlayKey.derive("sleeve", 32)).isEqualTo(acceptor.overlayKey.derive("sleeve", 32));
        assertThat(dialer.overlayKey.derive("sleeve", 32)).isNotEqualTo(dialer.overlayKey.derive("fastdp", 32));
        // The shared secret itself matches libsodium's crypto_scalarmult.
        byte[] shared = new byte[32];
        org.bouncycastle.math.ec.rfc7748.X25519.calculateAgreement(a, 0, pubB, 0, shared, 0);
        assertThat(HEX.formatHex(shared)).isEqualTo("3e2d09db749dd32e3bcde445591d3d7d854abd8c5ce7e3cef1158709c6a34557");
    }

    @Test
    void keysAreBoundToPasswordPublicKeysAndConnectionIds() {
        SecureRandom r = new SecureRandom();
        byte[][] x = SessionSecrets.newKeyPair(r);
        byte[][] y = SessionSecrets.newKeyPair(r);
        byte[] pw = "pw".getBytes(StandardCharsets.UTF_8);
        byte[] base = SessionSecrets.derive(x[0], y[1], pw, x[1], y[1], 1, 2).dialerToAcceptor;
        assertThat(SessionSecrets.derive(x[0], y[1], "pW".getBytes(StandardCharsets.UTF_8), x[1], y[1], 1, 2)
                        .dialerToAcceptor)
                .isNotEqualTo(base);
        assertThat(SessionSecrets.derive(x[0], y[1], pw, x[1], y[1], 1, 3).dialerToAcceptor)
                .isNotEqualTo(base);
        assertThat(SessionSecrets.derive(x[0], y[1], pw, y[1], x[1], 1, 2).dialerToAcceptor)
                .isNotEqualTo(base);
    }

    @Test
    void lowOrderPublicKeyIsRefused() {
        byte[][] x = SessionSecrets.newKeyPair(new SecureRandom());
        byte[] zero = new byte[32];
        assertThatThrownBy(() -> SessionSecrets.derive(x[0], zero, new byte[] {1}, x[1], zero, 1, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("low-order");
    }

    @Test
    void nonceCountersAreDirectionTaggedAndCount() {
        NonceCounter d = new NonceCounter(true);
        NonceCounter a = new NonceCounter(false);
        byte[] n0 = d.next().clone();
        byte[] n1 = d.next().clone();
        assertThat(n0[0] & 0xFF).isEqualTo(0xC0);
        assertThat(a.next()[0] & 0xFF).isEqualTo(0x40);
        assertThat(n0[23]).isEqualTo((byte) 0);
        assertThat(n1[23]).isEqualTo((byte) 1);
        assertThat(Arrays.copyOfRange(n1, 1, 16)).containsOnly(0);
    }
}
