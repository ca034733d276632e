package dev.weft.faults.runtime.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Nodes are real containers on one network, and each nemesis primitive does what it says. */
class ClusterTest {

    static Cluster cluster;
    static Node n1;
    static Node n2;
    static Node n3;

    @BeforeAll
    static void startCluster() {
        assumeTrue(
                ProcessHandle.current().info().user().orElse("").equals("root"),
                "needs root (network namespaces, dockerd)");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/dockerd")), "dockerd missing: run scripts/deps");
        cluster = Cluster.start(Testbed.shared().spec(3, WeftCheckout.root()));
        n1 = cluster.node("n1");
        n2 = cluster.node("n2");
        n3 = cluster.node("n3");
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @AfterEach
    void heal() {
        if (cluster != null) {
            for (Node n : cluster.nodes()) {
                if (!n.connected()) {
                    n.reconnect();
                }
                n.firewall().clear();
            }
        }
    }

    @Test
    void nodesHaveTheirAddressesTheJdkAndTheCheckout() {
        assertThat(n2.exec(Duration.ofSeconds(10), "hostname")
                        .check("n2")
                        .stdout()
                        .strip())
                .isEqualTo("n2");
        assertThat(n2.sh(Duration.ofSeconds(10), "ip -4 -o addr show eth0")
                        .check("n2")
                        .stdout())
                .contains(n2.ip() + "/24");
        String java = cluster.spec().jdkHome().resolve("bin/java").toString();
        assertThat(n1.exec(Duration.ofSeconds(60), java, "-version").check("n1").stderr())
                .contains("25");
        assertThat(n1.exec(Duration.ofSeconds(10), "test", "-x", ClusterSpec.WEFT_MOUNT + "/weft")
                        .ok())
                .isTrue();
        // read-only: a node cannot change the checkout or the JDK
        assertThat(n1.exec(Duration.ofSeconds(10), "touch", ClusterSpec.WEFT_MOUNT + "/x")
                        .ok())
                .isFalse();
        assertThat(ping(n1, n2, 1)).isTrue();
        String id1 = n1.exec(Duration.ofSeconds(10), "cat", "/etc/machine-id")
                .check("n1")
                .stdout();
        String id2 = n2.exec(Duration.ofSeconds(10), "cat", "/etc/machine-id")
                .check("n2")
                .stdout();
        assertThat(id1).matches("[0-9a-f]{32}").isNotEqualTo(id2);
        assertThat(n1.exec(Duration.ofSeconds(10), "ping", "-c1", "-W2", "n3").ok())
                .as("DNS alias")
                .isTrue();
        // a CNI host's powers: namespaces, bridges, tun
        assertThat(n3.sh(
                                Duration.ofSeconds(20),
                                "ip netns add p1 && ip link add b0 type bridge && ip tuntap add t0 mode tap"
                                        + " && ip netns del p1 && ip link del b0 && ip link del t0")
                        .ok())
                .isTrue();
    }

    @Test
    void disconnectIsolatesANodeAndReconnectRestoresItsAddress() {
        n3.disconnect();
        assertThat(n3.connected()).isFalse();
        assertThat(ping(n1, n3, 1)).isFalse();
        assertThat(ping(n1, n2, 1)).isTrue();
        n3.reconnect();
        assertThat(n3.connected()).isTrue();
        assertThat(ping(n1, n3, 3)).isTrue();
        assertThat(n3.sh(Duration.ofSeconds(10), "ip -4 -o addr show").stdout()).contains(n3.ip() + "/");
        // the nemesis's rules match addresses, so they still work on the renamed interface
        n3.firewall().dropFrom(n1);
        assertThat(ping(n1, n3, 1)).isFalse();
    }

    @Test
    void oneWayCutDropsOnlyPacketsFromTheCutNode() {
        n2.firewall().dropFrom(n1);
        assertThat(ping(n1, n2, 1)).isFalse(); // n1's requests never reach n2
        assertThat(ping(n3, n2, 1)).isTrue();
        // n2's requests do reach n1 (only n1's replies are dropped, by the same rule on n2)
        long before = dropped(n2);
        assertThat(ping(n2, n1, 1)).isFalse();
        assertThat(dropped(n2)).isGreaterThan(before);
        n2.firewall().clear();
        assertThat(ping(n1, n2, 3)).isTrue();
    }

    @Test
    void packetLossDropsAboutTheAskedShare() {
        n2.firewall().loseIncoming(0.5);
        ExecResult r = n1.exec(Duration.ofSeconds(60), "ping", "-q", "-c", "60", "-i", "0.05", "-W", "1", n2.ip());
        Matcher m = Pattern.compile("([0-9.]+)% packet loss").matcher(r.stdout());
        assertThat(m.find()).as(r.stdout()).isTrue();
        // Binomial(60, 0.5): outside 25..75% with probability < 1e-4.
        assertThat(Double.parseDouble(m.group(1))).isBetween(25.0, 75.0);
        assertThat(n2.firewall().rules()).contains("statistic");
        n2.firewall().clear();
        assertThat(n2.firewall().rules()).doesNotContain("DROP");
    }

    @Test
    void processesCanBeKilledStoppedAndContinued() {
        NodeProcess p = new NodeProcess(n1, "sleeper");
        p.start(Map.of("X", "it's quoted"), List.of("sh", "-c", "echo \"$X\"; exec sleep 1000"));
        assertThat(p.running()).isTrue();
        assertThat(p.signal("STOP")).isTrue();
        assertThat(p.stopped()).isTrue();
        assertThat(p.signal("CONT")).isTrue();
        assertThat(p.stopped()).isFalse();
        p.kill9();
        assertThat(p.running()).isFalse();
        assertThat(p.logTail(5)).contains("it's quoted");
        p.start(Map.of(), List.of("sleep", "1000"));
        assertThat(p.running()).isTrue();
        p.kill9();
    }

    @Test
    void execTimesOutAndKillsTheCommand() {
        ExecResult r = n1.exec(Duration.ofSeconds(1), "sleep", "77");
        assertThat(r.timedOut()).isTrue();
        assertThat(n1.sh(Duration.ofSeconds(10), "ps -eo args | grep -v grep | grep -q 'sleep 77'")
                        .ok())
                .isFalse();
    }

    static boolean ping(Node from, Node to, int tries) {
        return from.exec(Duration.ofSeconds(10 + tries), "ping", "-c", "1", "-w", Integer.toString(tries), to.ip())
                .ok();
    }

    static long dropped(Node n) {
        String out = n.exec(Duration.ofSeconds(10), "iptables", "-w", "-L", NodeFirewall.IN, "-v", "-x", "-n")
                .check(n.name())
                .stdout();
        long sum = 0;
        for (String line : out.split("\n")) {
            String[] f = line.strip().split("\\s+");
            if (f.length > 2 && f[2].equals("DROP")) {
                sum += Long.parseLong(f[0]);
            }
        }
        return sum;
    }
}
