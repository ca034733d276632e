package dev.weft.ipam.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.gossip.api.PeerName;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class IpamCodecTest {

    static IpamMessage.State sample(long seed) {
        return new IpamMessage.State(RingPropertiesTest.randomHistoryRing(seed), Map.of(), seed % 2 == 0);
    }

    @Test
    void roundTripsEveryMessage() throws Exception {
        for (long seed = 0; seed < 50; seed++) {
            IpamMessage.State s = sample(seed);
            assertThat(IpamCodec.decode(IpamCodec.encode(s))).isEqualTo(s);
        }
        Map<PeerName, NodeClaims> paxos = Map.of(
                RingPropertiesTest.peer(1),
                new NodeClaims(new ProposalId(3, RingPropertiesTest.peer(2).value()), ProposalId.NONE, List.of()),
                RingPropertiesTest.peer(2),
                new NodeClaims(
                        new ProposalId(3, RingPropertiesTest.peer(2).value()),
                        new ProposalId(3, RingPropertiesTest.peer(2).value()),
                        List.of(RingPropertiesTest.peer(1), RingPropertiesTest.peer(2))));
        IpamMessage.State p = new IpamMessage.State(null, paxos, true);
        assertThat(IpamCodec.decode(IpamCodec.encode(p))).isEqualTo(p);
        IpamMessage r = new IpamMessage.SpaceRequest(0x0A200000L, 0x0A200100L);
        assertThat(IpamCodec.decode(IpamCodec.encode(r))).isEqualTo(r);
        IpamMessage d = new IpamMessage.SpaceDenied(0xFFFFFFFFL, 1L << 32);
        assertThat(IpamCodec.decode(IpamCodec.encode(d))).isEqualTo(d);
    }

    @Test
    void everyTruncationIsRejected() {
        byte[] full = IpamCodec.encode(sample(7));
        for (int len = 0; len < full.length; len++) {
            byte[] cut = Arrays.copyOf(full, len);
            assertThatThrownBy(() -> IpamCodec.decode(cut)).isInstanceOf(IpamCodec.MalformedMessageException.class);
        }
        byte[] longer = Arrays.copyOf(full, full.length + 1);
        assertThatThrownBy(() -> IpamCodec.decode(longer)).hasMessageContaining("trailing");
    }

    @Test
    void badVersionTagAndRingsAreRejectedWithReasons() {
        byte[] m = IpamCodec.encode(sample(3));
        m[0] = 2;
        assertThatThrownBy(() -> IpamCodec.decode(m)).hasMessageContaining("version 2");
        byte[] t = IpamCodec.encode(sample(3));
        t[1] = 9;
        assertThatThrownBy(() -> IpamCodec.decode(t)).hasMessageContaining("tag 9");
        // unsorted tokens: swap the first two entries' tokens
        Ring r = Ring.seed(
                RingPropertiesTest.START,
                RingPropertiesTest.END,
                List.of(RingPropertiesTest.peer(1), RingPropertiesTest.peer(2)));
        byte[] ring = IpamCodec.encode(new IpamMessage.State(r, Map.of(), false));
        int entries = 3 + 4 + 1 + 2 + 16 + 2 + 4;
        ByteBuffer b = ByteBuffer.wrap(ring);
        b.putInt(entries + 32, (int) RingPropertiesTest.START);
        assertThatThrownBy(() -> IpamCodec.decode(ring)).hasMessageContaining("invalid ring");
        // a free count bigger than the universe
        byte[] free = IpamCodec.encode(new IpamMessage.State(r, Map.of(), false));
        ByteBuffer.wrap(free).putInt(entries + 28, 1 << 30);
        assertThatThrownBy(() -> IpamCodec.decode(free)).hasMessageContaining("invalid ring");
        // a zero-length space request
        byte[] req = IpamCodec.encode(new IpamMessage.SpaceRequest(5, 6));
        ByteBuffer.wrap(req).putInt(6, 0);
        assertThatThrownBy(() -> IpamCodec.decode(req)).hasMessageContaining("bad address range");
    }

    /** Fuzz target: random bytes and random corruptions of valid messages never escape as anything else. */
    @Property(tries = 2000, seed = "20251127")
    void decoderRejectsGarbageCleanly(@ForAll @Size(max = 600) byte[] junk, @ForAll long seed) {
        Random rnd = new Random(seed);
        byte[] valid = IpamCodec.encode(sample(seed));
        byte[] mutated = valid.clone();
        for (int i = 0; i < 1 + rnd.nextInt(4); i++) {
            mutated[rnd.nextInt(mutated.length)] = (byte) rnd.nextInt(256);
        }
        for (byte[] input : List.of(junk, mutated)) {
            try {
                IpamMessage m = IpamCodec.decode(input);
                if (m instanceof IpamMessage.State s && s.ring() != null) {
                    s.ring().check(); // whatever decodes is a valid ring
                }
            } catch (IpamCodec.MalformedMessageException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            } catch (InvalidRingException e) {
                throw new AssertionError("decoded an invalid ring", e);
            }
        }
    }
}
