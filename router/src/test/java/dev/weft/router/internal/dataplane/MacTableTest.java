package dev.weft.router.internal.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MacTableTest {
    static final long SELF = 1;
    static final long OTHER = 2;
    static final long MINUTE = 60_000_000_000L;
    final MacTable t = new MacTable(10 * MINUTE, 10_000_000_000L);

    @Test
    void learnsLocalAndRemoteOwners() {
        assertThat(t.owner(0xaa, 0)).isZero();
        t.learnLocal(0xaa, SELF, 0);
        t.learnRemote(0xbb, OTHER, 0);
        assertThat(t.owner(0xaa, 1)).isEqualTo(SELF);
        assertThat(t.owner(0xbb, 1)).isEqualTo(OTHER);
    }

    @Test
    void aLocalFrameFromAMacJustSeenElsewhereIsALoopUntilTheHoldPasses() {
        t.learnRemote(0xaa, OTHER, 0);
        assertThat(t.learnLocal(0xaa, SELF, 5_000_000_000L)).isEqualTo(MacTable.CONFLICT);
        assertThat(t.owner(0xaa, 5_000_000_000L)).isEqualTo(OTHER);
        // the pod moved here: after the hold the MAC is ours
        assertThat(t.learnLocal(0xaa, SELF, 11_000_000_000L)).isEqualTo(MacTable.LEARNT);
        assertThat(t.owner(0xaa, 11_000_000_000L)).isEqualTo(SELF);
        // a remote sighting always wins
        t.learnRemote(0xaa, OTHER, 12_000_000_000L);
        assertThat(t.owner(0xaa, 12_000_000_000L)).isEqualTo(OTHER);
    }

    @Test
    void entriesExpireAndSweepRemovesThemAndGonePeers() {
        t.learnLocal(0xaa, SELF, 0);
        t.learnRemote(0xbb, OTHER, 5 * MINUTE);
        t.learnRemote(0xcc, 3, 5 * MINUTE);
        assertThat(t.owner(0xaa, 11 * MINUTE)).isZero();
        assertThat(t.sweep(11 * MINUTE, p -> p == 3)).isEqualTo(2);
        assertThat(t.size()).isEqualTo(1);
        assertThat(t.owner(0xbb, 11 * MINUTE)).isEqualTo(OTHER);
    }

    @Test
    void growsAndKeepsEveryEntry() {
        for (long m = 1; m <= 5000; m++) {
            t.learnRemote(m * 7919, m, 0);
        }
        t.sweep(0, p -> p % 2 == 0);
        for (long m = 5001; m <= 6000; m++) {
            t.learnRemote(m * 7919, m, 0);
        }
        for (long m = 1; m <= 6000; m++) {
            assertThat(t.owner(m * 7919, 0)).isEqualTo(m <= 5000 && m % 2 == 0 ? 0 : m);
        }
    }
}
