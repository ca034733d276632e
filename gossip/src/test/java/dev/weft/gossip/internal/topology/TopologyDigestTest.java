package dev.weft.gossip.internal.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.gossip.api.GossipException;
import dev.weft.gossip.api.PeerName;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Topology digests: the documented layout, malformed input, and what a digest is answered with. */
class TopologyDigestTest {

    private static final String ENTRY_1 = "000000000001" + "0000000000000002" + "0000000000000003";
    private static final String ENTRY_5 = "000000000005" + "0000000000000006" + "0000000000000007";

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    private static void rejects(String hex, String reason) {
        byte[] b = hex(hex);
        assertThatThrownBy(() -> TopologyDigest.decode(b))
                .isInstanceOf(GossipException.class)
                .hasMessageContaining(reason);
    }

    @Test
    void layoutMatchesTheDocument() {
        TopologyDigest d = TopologyDigest.ofEntries(true, new long[] {1, 5}, new long[] {2, 6}, new long[] {3, 7});
        assertThat(HexFormat.of().formatHex(d.encode())).isEqualTo("02" + "01" + "0002" + ENTRY_1 + ENTRY_5);
        TopologyDigest back = TopologyDigest.decode(d.encode());
        assertThat(back.answerWanted()).isTrue();
        assertThat(back.size()).isEqualTo(2);
        assertThat(List.of(back.name(1), back.uid(1), back.version(1))).containsExactly(5L, 6L, 7L);
        assertThat(TopologyDigest.decode(hex("02000000")).size()).isZero();
        assertThat(TopologyDigest.isDigest(d.encode())).isTrue();
        assertThat(TopologyDigest.isDigest(hex("01"))).isFalse();
        assertThat(TopologyDigest.isDigest(new byte[0])).isFalse();
    }

    @Test
    void malformedDigestsAreRefusedWithTheirReason() {
        rejects("", "truncated: 0 bytes");
        rejects("0200", "truncated: 2 bytes");
        rejects("01000000", "not a topology digest: format 1");
        rejects("02020000", "unknown topology digest flags 2");
        rejects("0200" + "1001", "4097 entries, more than 4096");
        rejects("0200" + "0001", "must be 26 bytes, not 4");
        rejects("0200" + "0001" + ENTRY_1 + "00", "must be 26 bytes, not 27");
        rejects("0200" + "0002" + ENTRY_1, "must be 48 bytes, not 26");
        rejects("0200" + "0001" + "000000000000" + "0000000000000002" + "0000000000000003", "reserved name 0");
        rejects("0200" + "0001" + "000000000001" + "0000000000000000" + "0000000000000003", "has UID 0");
        rejects("0200" + "0002" + ENTRY_5 + ENTRY_1, "not strictly ascending at entry 1");
        rejects("0200" + "0002" + ENTRY_1 + ENTRY_1, "not strictly ascending at entry 1");
        assertThatThrownBy(() -> TopologyDigest.ofEntries(false, new long[] {1}, new long[] {1, 2}, new long[] {1}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void comparesLikeTheRecordMergeRule() {
        PeerRecord r = record(5, 6, 7);
        assertThat(digest(false, 5, 6, 7).lacks(r)).isFalse();
        assertThat(digest(false, 5, 6, 6).lacks(r)).as("older version").isTrue();
        assertThat(digest(false, 5, 6, 8).lacks(r)).as("newer version").isFalse();
        assertThat(digest(false, 5, 5, 7).lacks(r))
                .as("same version, smaller UID")
                .isTrue();
        assertThat(digest(false, 5, -1, 7).lacks(r)).as("UIDs compare unsigned").isFalse();
        assertThat(digest(false, 4, 6, 7).lacks(r)).as("not listed").isTrue();
        assertThat(digest(false, 5, 6, 8).newer(0, r)).isTrue();
        assertThat(digest(false, 5, 6, 7).newer(0, r)).isFalse();
        assertThat(digest(false, 5, 6, 7).newer(0, null)).isTrue();
    }

    @Test
    void answersWithWhatTheSenderLacksAndItsDigestOnlyWhenAskedAndBehind() {
        PeerRecord self = record(1, 11, 4);
        Peers peers = new Peers(self, e -> {});
        peers.apply(record(2, 12, 3));
        peers.apply(record(3, 13, 5));
        TopologyGossiper g = new TopologyGossiper(peers, () -> self, RecordCache.NONE, new Effects());

        // The sender knows peer 2 at our version, peer 3 older, has never heard of us.
        TopologyUpdate a = g.answer(digest(false, 2, 12, 3, 3, 13, 4));
        assertThat(names(a)).containsExactly(1L, 3L);
        assertThat(a.digest()).isNull();

        // It knows everything we do: nothing to send.
        assertThat(g.answer(digest(true, 1, 11, 4, 2, 12, 3, 3, 13, 5))).isNull();

        // It knows a newer record of peer 2 and asks for our digest: it gets it (and nothing else).
        TopologyUpdate b = g.answer(digest(true, 1, 11, 4, 2, 12, 9, 3, 13, 5));
        assertThat(names(b)).isEmpty();
        assertThat(b.digest()).isNotNull();
        assertThat(b.digest().answerWanted()).as("no answer to an answer").isFalse();
        assertThat(b.digest().size()).isEqualTo(3);
        assertThat(b.encode().getFirst()[0]).isEqualTo((byte) TopologyDigest.FORMAT);

        // The same without asking: nothing.
        assertThat(g.answer(digest(false, 1, 11, 4, 2, 12, 9, 3, 13, 5))).isNull();
    }

    private static List<Long> names(TopologyUpdate u) {
        List<Long> out = new ArrayList<>();
        for (PeerRecord r : u.records()) {
            out.add(r.name().value());
        }
        return out;
    }

    private static PeerRecord record(long name, long uid, long version) {
        return PeerRecordCodec.encode(PeerName.of(name), uid, version, -1, "", List.of(), List.of());
    }

    /** Entries as (name, uid, version) triples, names ascending. */
    private static TopologyDigest digest(boolean answer, long... triples) {
        int n = triples.length / 3;
        long[] names = new long[n];
        long[] uids = new long[n];
        long[] versions = new long[n];
        for (int i = 0; i < n; i++) {
            names[i] = triples[3 * i];
            uids[i] = triples[3 * i + 1];
            versions[i] = triples[3 * i + 2];
        }
        return TopologyDigest.ofEntries(answer, names, uids, versions);
    }

    private static final class Effects implements TopologyGossiper.Effects {
        @Override
        public void applied(PeerRecord record, Peers.Outcome outcome, PeerRecord previous) {}

        @Override
        public void staleSelf(long uid, long version) {}
    }
}
