package dev.weft.router.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.router.internal.dataplane.DataPlaneConfig;
import dev.weft.router.runtime.RouterConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code weft launch}'s flags and WEFT_* variables, parsed without starting anything. */
class LaunchCommandTest {

    static LaunchCommand parse(String... args) {
        LaunchCommand c = new LaunchCommand();
        new CommandLine(c).parseArgs(args);
        return c;
    }

    @Test
    void defaultsAreWeavesPortsTheDefaultBridgeAndMtuAndTheFastPath() throws Exception {
        LaunchCommand c = parse();
        DataPlaneConfig d = c.dataPlane();
        assertThat(d.bridge()).isEqualTo("weft");
        assertThat(d.mtu()).isEqualTo(1376);
        assertThat(d.sleeve().port()).isEqualTo(6783);
        assertThat(d.fastPath()).isPresent();
        RouterConfig r = c.config();
        assertThat(r.port()).isEqualTo(6783);
        assertThat(r.connectionLimit()).isEqualTo(200);
        assertThat(r.password()).isNull();
    }

    @Test
    void flagsReachTheRouterAndDataPlaneConfiguration() throws Exception {
        LaunchCommand c = parse(
                "--name",
                "02:00:00:00:00:07",
                "--password",
                "pw",
                "--port",
                "7000",
                "--conn-limit",
                "5",
                "--mtu",
                "1400",
                "--bridge",
                "br-test",
                "--no-fastdp",
                "--peers",
                "10.0.0.1,10.0.0.2:7000",
                "10.0.0.3");
        RouterConfig r = c.config();
        assertThat(r.name().toString()).isEqualTo("02:00:00:00:00:07");
        assertThat(new String(r.password(), StandardCharsets.UTF_8)).isEqualTo("pw");
        assertThat(r.port()).isEqualTo(7000);
        assertThat(r.connectionLimit()).isEqualTo(5);
        assertThat(r.peers()).containsExactly("10.0.0.1", "10.0.0.2:7000", "10.0.0.3");
        DataPlaneConfig d = c.dataPlane();
        assertThat(d.mtu()).isEqualTo(1400);
        assertThat(d.bridge()).isEqualTo("br-test");
        assertThat(d.sleeve().port()).as("sleeve's UDP port is the mesh port").isEqualTo(7000);
        assertThat(d.fastPath()).isEmpty();
    }

    @Test
    void badValuesNameTheProblem() {
        assertThatThrownBy(() -> parse("--mtu", "100").dataPlane())
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("MTU must be 576..65535 bytes: 100");
        assertThatThrownBy(() -> parse("--bridge", "a-very-long-bridge-name").dataPlane())
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("bridge name must be 1..15 characters");
        assertThatThrownBy(() -> parse("--fastdp-driver", "magic").dataPlane())
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--fastdp-driver must be auto, odp or vxlan");
        assertThatThrownBy(() -> parse("--name", "nonsense").config())
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--name");
    }

    /** The WEFT_* variables are the flags' defaults: {@code launch --help} shows them resolved. */
    @Test
    void environmentVariablesSetTheDefaults() throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                WeftCli.class.getName(),
                "launch",
                "--help"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("WEFT_MTU", "1300");
        pb.environment().put("WEFT_PORT", "7100");
        pb.environment().put("WEFT_CONN_LIMIT", "17");
        pb.environment().put("WEFT_IPALLOC_RANGE", "10.99.0.0/16");
        pb.environment().put("WEFT_NAME", "02:00:00:00:00:09");
        pb.environment().put("WEFT_PEERS", "10.9.9.9");
        Process p = pb.start();
        String help = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(help).isZero();
        String flat = help.replaceAll("\\s+", " ");
        assertThat(flat)
                .contains("default 1300")
                .contains("default 7100")
                .contains("default 17")
                .contains("default: 10.99.0.0/16")
                .contains("--fastdp-driver")
                .contains("--cni-socket");
    }

    @Test
    void discoveryIsMeshByDefaultAndScalecubeSeedsAreThePeerHostsAtTheMembershipPort() throws Exception {
        assertThat(parse().discovery.membership(List.of("10.0.0.1"))).isNull();
        LaunchCommand c = parse(
                "--discovery",
                "scalecube",
                "--membership-port",
                "7001",
                "--peers",
                "10.0.0.1,10.0.0.2:7000,[fd00::1]:6783,10.0.0.1:6783",
                "fd00::2",
                "node-3");
        assertThat(c.discovery.mode).isEqualTo(DiscoveryOptions.Mode.scalecube);
        assertThat(DiscoveryOptions.seeds(c.config().peers(), c.discovery.port))
                .containsExactly("10.0.0.1:7001", "10.0.0.2:7001", "[fd00::1]:7001", "[fd00::2]:7001", "node-3:7001");
        LaunchCommand bad = parse("--discovery", "scalecube", "--membership-port", "0");
        assertThatThrownBy(() -> bad.discovery.membership(List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--membership-port out of range: 0");
        assertThatThrownBy(() -> parse("--discovery", "swim"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--discovery");
    }
}
