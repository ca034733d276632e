package dev.weft.cni.internal.masq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.cni.internal.spec.CniException;
import dev.weft.linux.api.NetNs;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The masquerade set's elements over netlink against the kernel's nf_tables, in a namespace of
 * its own, cross-checked with what {@code nft} lists.
 */
class NftSetElementsTest {
    String name;
    Path netns;

    @BeforeEach
    void namespace() {
        assumeTrue("root".equals(System.getProperty("user.name")), "kernel tests need root");
        byte[] r = new byte[3];
        new SecureRandom().nextBytes(r);
        name = "wnft" + HexFormat.of().formatHex(r);
        NetNs.create(name).close();
        netns = NetNs.RUN_DIR.resolve(name);
    }

    @AfterEach
    void delete() {
        if (name != null) {
            NetNs.delete(name);
        }
    }

    @Test
    void addDeleteAndLookUpMatchWhatNftSees() throws Exception {
        try (NftMasquerade m = NftMasquerade.of("10.32.0.0/12", Optional.of(netns))) {
            check(m);
        }
    }

    private void check(NftMasquerade m) throws Exception {
        Inet4Address a = (Inet4Address) InetAddress.getByName("10.32.0.7");
        Inet4Address b = (Inet4Address) InetAddress.getByName("10.32.1.200");

        // no table yet: a lookup says no, a delete has nothing to do, an add says what is missing
        assertThat(m.covers(a)).isFalse();
        m.remove(a);
        assertThatThrownBy(() -> m.add(a))
                .isInstanceOf(CniException.class)
                .hasMessageContaining("masquerading 10.32.0.7 failed")
                .hasMessageContaining("table ip weft or its set is missing");

        m.install(List.of(b));
        assertThat(m.covers(b)).isTrue();
        assertThat(m.covers(a)).isFalse();
        m.add(a);
        m.add(a); // again: fine
        assertThat(m.covers(a)).isTrue();
        assertThat(listSet()).contains("10.32.0.7").contains("10.32.1.200");

        m.remove(a);
        m.remove(a); // again: fine
        assertThat(m.covers(a)).isFalse();
        assertThat(m.covers(b)).isTrue();
        assertThat(listSet()).doesNotContain("10.32.0.7").contains("10.32.1.200");

        assertThat(NftMasquerade.removeTable(Optional.of(netns))).isTrue();
        assertThat(NftMasquerade.removeTable(Optional.of(netns))).isFalse();
        assertThat(m.covers(b)).isFalse();
    }

    private String listSet() throws Exception {
        Process p = new ProcessBuilder(
                        "nsenter", "--net=" + netns, "nft", "list", "set", "ip", NftMasquerade.TABLE, NftMasquerade.SET)
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }
}
