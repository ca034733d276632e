package dev.weft.router.fastpath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.fastpath.api.FastPathConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class FastPathOptionsTest {
    @Command(name = "launch")
    static final class Launch {
        @Mixin
        FastPathOptions fastPath;
    }

    static FastPathOptions parse(String... args) {
        Launch l = new Launch();
        new CommandLine(l).parseArgs(args);
        return l.fastPath;
    }

    @Test
    void defaultsAreWeavesFastPathWithATenSecondFallback() {
        FastPathConfig c = parse().config().orElseThrow();
        assertThat(c.driver()).isEqualTo(FastPathConfig.DriverKind.AUTO);
        assertThat(c.udpPort()).isEqualTo(6784);
        assertThat(c.heartbeatTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.heartbeatInterval()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void flagsChooseTheDriverPortAndTimeout() {
        FastPathConfig c = parse("--fastdp-driver", "vxlan", "--fastdp-port", "4790", "--fastdp-heartbeat-timeout", "3")
                .config()
                .orElseThrow();
        assertThat(c.driver()).isEqualTo(FastPathConfig.DriverKind.VXLAN);
        assertThat(c.udpPort()).isEqualTo(4790);
        assertThat(c.heartbeatTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(c.heartbeatInterval()).isEqualTo(Duration.ofMillis(300));
        assertThat(parse("--fastdp-driver", "ODP").config().orElseThrow().driver())
                .isEqualTo(FastPathConfig.DriverKind.ODP);
    }

    @Test
    void noFastdpTurnsItOff() {
        assertThat(parse("--no-fastdp").config()).isEmpty();
    }

    @Test
    void badValuesNameTheFlag() {
        assertThatThrownBy(() -> parse("--fastdp-driver", "geneve").config())
                .hasMessage("--fastdp-driver must be auto, odp or vxlan, not \"geneve\"");
        assertThatThrownBy(() -> parse("--fastdp-port", "0").config()).hasMessageStartingWith("--fastdp-port");
        assertThatThrownBy(() -> parse("--fastdp-heartbeat-timeout", "0.5").config())
                .hasMessageStartingWith("--fastdp-heartbeat-timeout");
        assertThatThrownBy(() -> parse("--fastdp-heartbeat-timeout", "NaN").config())
                .hasMessageStartingWith("--fastdp-heartbeat-timeout");
    }
}
