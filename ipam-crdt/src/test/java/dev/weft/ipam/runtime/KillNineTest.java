package dev.weft.ipam.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.gossip.api.PeerName;
import dev.weft.ipam.api.Cidr;
import dev.weft.ipam.api.IpamConfig;
import dev.weft.ipam.internal.OwnershipChange;
import dev.weft.ipam.internal.SqliteStore;
import dev.weft.ipam.internal.StoredState;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real process allocating through IPAM's real store is killed with SIGKILL in the middle of a
 * burst, three times on the same store: every allocation it acknowledged is in the store afterwards,
 * no address is held twice, and the store opens cleanly each time.
 */
class KillNineTest {

    @TempDir
    Path dir;

    @Test
    void sigkillDuringABurstLosesNoAcknowledgedAllocation() throws Exception {
        Random random = new Random(20251122);
        Map<String, String> acked = new HashMap<>();
        for (int round = 0; round < 3; round++) {
            ProcessBuilder pb = new ProcessBuilder(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--enable-native-access=ALL-UNNAMED",
                    "-cp",
                    System.getProperty("java.class.path"),
                    CrashChild.class.getName(),
                    dir.toString(),
                    "r" + round);
            pb.redirectError(ProcessBuilder.Redirect.DISCARD);
            Process child = pb.start();
            int before = acked.size();
            long killAfter = 300 + random.nextInt(700); // ms of burst before SIGKILL
            try (BufferedReader in =
                    new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
                String line = in.readLine();
                assertThat(line).as("child started").isEqualTo("READY");
                long deadline = System.nanoTime() + killAfter * 1_000_000L;
                while (System.nanoTime() < deadline && (line = in.readLine()) != null) {
                    String[] p = line.split(" ");
                    acked.put(p[1], p[2]);
                }
                // SIGKILL by pid (our own child), keeping our end of its stdout open
                Process kill = new ProcessBuilder("kill", "-9", Long.toString(child.pid())).start();
                assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
                assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
                assertThat(child.exitValue()).isEqualTo(137); // 128 + SIGKILL
                // what was printed before the kill reached us is acknowledged too
                while ((line = in.readLine()) != null) {
                    String[] p = line.split(" ");
                    if (p.length == 3) {
                        acked.put(p[1], p[2]);
                    }
                }
            }
            assertThat(acked.size())
                    .as("round %d acknowledged allocations", round)
                    .isGreaterThan(before);
            try (SqliteStore store = SqliteStore.open(
                    dir.resolve(IpamRuntime.STORE_FILE),
                    new PeerName(0x02_00_00_00_00_01L),
                    IpamConfig.DEFAULT_RANGE)) {
                StoredState st = store.load(IpamConfig.DEFAULT_RANGE);
                Map<String, String> stored = new HashMap<>();
                Set<Long> addresses = new HashSet<>();
                for (OwnershipChange c : st.ownership()) {
                    stored.put(c.id().value(), c.address().toString());
                    assertThat(addresses.add(c.address().address().value()))
                            .as("address held twice")
                            .isTrue();
                }
                for (var e : acked.entrySet()) {
                    assertThat(stored.get(e.getKey()))
                            .as("acknowledged %s", e.getKey())
                            .isEqualTo(e.getValue());
                }
                assertThat(st.ring().isEmpty()).isFalse();
                assertThat(Cidr.parse(acked.values().iterator().next()).prefixLength())
                        .isEqualTo(12);
            }
        }
    }
}
