package dev.weft.router.cni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.cni.api.CniConfig;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class CniOptionsTest {
    @Command(name = "launch")
    static final class Launch {
        @Mixin
        CniOptions cni;
    }

    static CniOptions parse(String... args) {
        Launch l = new Launch();
        new CommandLine(l).parseArgs(args);
        return l.cni;
    }

    @Test
    void defaultsMatchTheShimsCompiledInPaths() {
        CniOptions o = parse();
        assertThat(o.enabled()).isTrue();
        CniConfig c = o.config(Path.of("/var/lib/weft"), "weft", 1376, "10.32.0.0/12");
        CniConfig d = CniConfig.defaults();
        assertThat(c.socket()).isEqualTo(d.socket());
        assertThat(c.deleteQueue()).isEqualTo(d.deleteQueue());
        assertThat(c.stateDir()).isEqualTo(Path.of("/var/lib/weft/cni"));
        assertThat(c.confDir()).isEqualTo(d.confDir());
        assertThat(c.binDir()).isEqualTo(d.binDir());
        assertThat(c.chainPortmap()).isTrue();
        assertThat(c.confCniVersion()).isEqualTo("1.0.0");
        assertThat(c.bridge()).isEqualTo("weft");
        assertThat(c.mtu()).contains(1376);
        assertThat(c.clusterRange()).contains("10.32.0.0/12");
        assertThat(c.confIpMasq()).isTrue();
    }

    @Test
    void flagsChangeThem() {
        CniOptions o = parse(
                "--no-cni-portmap",
                "--cni-conf-dir=",
                "--cni-bin-dir=",
                "--cni-socket=/tmp/x.sock",
                "--cni-conf-version=1.1.0",
                "--no-masquerade",
                "--no-cni");
        assertThat(o.enabled()).isFalse();
        CniConfig c = o.config(Path.of("/data"), "br-pods", 1400, "10.40.0.0/16");
        assertThat(c.chainPortmap()).isFalse();
        assertThat(c.confDir()).isEqualTo(Optional.empty());
        assertThat(c.binDir()).isEqualTo(Optional.empty());
        assertThat(c.socket()).isEqualTo(Path.of("/tmp/x.sock"));
        assertThat(c.confCniVersion()).isEqualTo("1.1.0");
        assertThat(c.bridge()).isEqualTo("br-pods");
        assertThat(c.mtu()).contains(1400);
        assertThat(c.confIpMasq()).isFalse();
        assertThat(c.clusterRange()).contains("10.40.0.0/16");
    }

    @Test
    void refusesAVersionWeftDoesNotSpeak() {
        assertThatThrownBy(() -> parse("--cni-conf-version=0.2.0").config(Path.of("/d"), "weft", 1376, "10.32.0.0/12"))
                .hasMessageContaining("--cni-conf-version 0.2.0");
    }
}
