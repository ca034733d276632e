package dev.weft.gossip.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PeerNameTest {

    @Test
    void formatsLikeAMacAndParsesBack() {
        PeerName n = PeerName.parse("aa:bb:0c:dd:ee:ff");
        assertThat(n.value()).isEqualTo(0xaabb0cddeeffL);
        assertThat(n).hasToString("aa:bb:0c:dd:ee:ff");
        assertThat(PeerName.parse("AA:B:c:DD:e:F")).isEqualTo(PeerName.of(0xaa0b0cdd0e0fL));
    }

    @Test
    void acceptsMeshAbbreviations() {
        assertThat(PeerName.parse("::1")).isEqualTo(PeerName.of(1));
        assertThat(PeerName.parse("aa::ff")).isEqualTo(PeerName.of(0xaa00000000ffL));
        assertThat(PeerName.parse("aa:bb::")).isEqualTo(PeerName.of(0xaabb00000000L));
        assertThat(PeerName.parse("01:02:03::05")).isEqualTo(PeerName.of(0x010203000005L));
    }

    @Test
    void rejectsGarbageWithTheText() {
        for (String bad : new String[] {
            "",
            "aa",
            "aa:bb:cc:dd:ee",
            "aa:bb:cc:dd:ee:ff:00",
            "aa:bb:cc:dd:ee:fg",
            "aaa:bb:cc:dd:ee:ff",
            "::",
            "aa::bb::cc",
            "a:b:c:d:e:f::",
            ":aa:bb:cc:dd:ee",
            "aa:bb:cc:dd:ee:"
        }) {
            assertThatThrownBy(() -> PeerName.parse(bad), bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("invalid peer name");
        }
        assertThatThrownBy(() -> PeerName.of(1L << 48)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void roundTripsRandomNamesThroughTextAndBytes() {
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 10_000; i++) {
            PeerName n = PeerName.of(r.nextLong() & 0xFFFF_FFFF_FFFFL);
            assertThat(PeerName.parse(n.toString())).isEqualTo(n);
            assertThat(PeerName.fromBytes(n.toBytes(), 0)).isEqualTo(n);
        }
    }

    @Test
    void ordersNumerically() {
        assertThat(PeerName.parse("00:00:00:00:00:02")).isGreaterThan(PeerName.parse("::1"));
        assertThat(PeerName.parse("ff:00:00:00:00:00")).isGreaterThan(PeerName.parse("7f:ff:ff:ff:ff:ff"));
    }

    @Test
    void shortIdAndUidBounds() {
        assertThatThrownBy(() -> ShortId.of(4096)).isInstanceOf(IllegalArgumentException.class);
        assertThat(ShortId.of(4095).value()).isEqualTo(4095);
        assertThat(PeerUid.random(new SplittableRandom(1)).isNone()).isFalse();
        PeerUid u = new PeerUid(-1);
        assertThat(PeerUid.parse(u.toString())).isEqualTo(u);
    }
}
