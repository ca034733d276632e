package dev.weft.fastpath.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class FastPathFeatureTest {

    @Test
    void roundTrips() {
        FastPathFeature f = new FastPathFeature(1, "vxlan", 6784, 1376, 0x02_1a_2b_3c_4d_5eL);
        assertThat(f.encode()).isEqualTo("1 driver=vxlan port=6784 mtu=1376 mac=02:1a:2b:3c:4d:5e");
        assertThat(FastPathFeature.parse(f.encode())).contains(f);
        FastPathFeature odp = new FastPathFeature(1, "odp", 6784, 1376, 0);
        assertThat(odp.encode()).isEqualTo("1 driver=odp port=6784 mtu=1376");
        assertThat(FastPathFeature.parse(odp.encode())).contains(odp);
    }

    @Test
    void unknownKeysAreIgnoredAndALaterVersionIsRead() {
        assertThat(FastPathFeature.parse("2 driver=vxlan port=6784 mtu=1376 crypto=esp mac=02:00:00:00:00:01"))
                .contains(new FastPathFeature(2, "vxlan", 6784, 1376, 0x02_00_00_00_00_01L));
    }

    @Test
    void malformedValuesAreRefused() {
        for (String bad : new String[] {
            null,
            "",
            "x",
            "1",
            "0 driver=vxlan port=6784 mtu=1376",
            "1 port=6784 mtu=1376",
            "1 driver=VXLAN port=6784 mtu=1376",
            "1 driver=vxlan port=0 mtu=1376",
            "1 driver=vxlan port=70000 mtu=1376",
            "1 driver=vxlan port=6784 mtu=100",
            "1 driver=vxlan port=6784 mtu=1376 mac=01:00:00:00:00:01",
            "1 driver=vxlan port=6784 mtu=1376 mac=00:00:00:00:00:00",
            "1 driver=vxlan port=6784 mtu=1376 mac=02:00:00:00:00",
            "1 driver=vxlan port=6784 mtu=1376 mac=zz:00:00:00:00:01",
            "1 driver=vxlan port=6784 mtu=1376 " + "x".repeat(200)
        }) {
            assertThat(FastPathFeature.parse(bad)).as(String.valueOf(bad)).isEmpty();
        }
    }

    @Property(tries = 2000)
    void parsingArbitraryTextNeverThrows(@ForAll @StringLength(max = 200) String text) {
        FastPathFeature.parse(text)
                .ifPresent(f -> assertThat(FastPathFeature.parse(f.encode())).contains(f));
    }
}
