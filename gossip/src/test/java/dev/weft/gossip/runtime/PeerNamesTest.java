package dev.weft.gossip.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.gossip.api.PeerName;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stable peer name: derived from the machine ID, persisted, and kept across restarts. */
class PeerNamesTest {

    @Test
    void theNameIsDerivedOnceAndKept(@TempDir Path dir) throws Exception {
        Path machineId = dir.resolve("machine-id");
        Files.writeString(machineId, "0123456789abcdef0123456789abcdef\n");
        Path data = dir.resolve("data");
        PeerName first = PeerNames.loadOrCreate(data, machineId);
        PeerName again = PeerNames.loadOrCreate(data, machineId);
        assertThat(again).isEqualTo(first);
        // Another machine ID gives another name; the same one gives the same name on a fresh disk.
        Path otherId = dir.resolve("other-id");
        Files.writeString(otherId, "fedcba9876543210fedcba9876543210\n");
        assertThat(PeerNames.loadOrCreate(dir.resolve("d2"), otherId)).isNotEqualTo(first);
        assertThat(PeerNames.loadOrCreate(dir.resolve("d3"), machineId)).isEqualTo(first);
        // Once persisted, the file wins even if the machine ID changes.
        assertThat(PeerNames.loadOrCreate(data, otherId)).isEqualTo(first);
    }

    @Test
    void aCorruptNameFileIsAnErrorNotANewIdentity(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("peer-name"), "not a name\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PeerNames.loadOrCreate(dir))
                .isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("does not hold a peer name");
    }
}
