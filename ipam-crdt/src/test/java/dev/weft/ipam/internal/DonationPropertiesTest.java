package dev.weft.ipam.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.gossip.api.PeerName;
import dev.weft.ipam.api.Address;
import dev.weft.ipam.api.Cidr;
import dev.weft.ipam.api.ContainerId;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** Donation gives only free addresses, only from the donor's own space, and keeps at least half. */
class DonationPropertiesTest {

    @Property(tries = 500, seed = "20251126")
    void donationNeverGivesAwayAllocatedAddresses(@ForAll long seed) {
        Random rnd = new Random(seed);
        long start = RingPropertiesTest.START;
        long end = RingPropertiesTest.END;
        PeerName me = RingPropertiesTest.peer(1);
        Ring ring = RingPropertiesTest.randomHistoryRing(seed);
        if (ring.addressesByOwner().get(me) == null) {
            ring = ring.transferAll(ring.entry(0).owner(), me);
        }
        Allocations alloc = new Allocations(start, end);
        double density = rnd.nextDouble();
        for (int k = 0; k < ring.size(); k++) {
            if (!ring.entry(k).owner().equals(me)) {
                continue;
            }
            for (long a = ring.entry(k).token(); a < ring.rangeEnd(k); a++) {
                if (rnd.nextDouble() < density) {
                    alloc.add(ContainerId.of("c" + a), new Cidr(new Address(a), 20));
                }
            }
        }
        long from = start + rnd.nextLong(end - start);
        long to = from + 1 + rnd.nextLong(end - from);
        long freeInRange = 0;
        for (long a = from; a < to; a++) {
            if (me.equals(ring.ownerOf(a)) && alloc.holder(a) == null) {
                freeInRange++;
            }
        }
        Donation.Block b = Donation.choose(ring, me, alloc, from, to);
        if (freeInRange == 0) {
            assertThat(b).isNull();
            return;
        }
        assertThat(b).isNotNull();
        assertThat(b.start()).isGreaterThanOrEqualTo(from);
        assertThat(b.end()).isLessThanOrEqualTo(to);
        for (long a = b.start(); a < b.end(); a++) {
            assertThat(alloc.holder(a))
                    .as("donated %s which is allocated", Address.format(a))
                    .isNull();
            assertThat(ring.ownerOf(a)).isEqualTo(me);
        }
        // CIDR-aligned, and never more than half of the free space unless it is a single address
        assertThat(Long.bitCount(b.size())).isEqualTo(1);
        assertThat(b.start() % b.size()).isZero();
        if (b.size() > 1) {
            assertThat(b.size() * 2).isLessThanOrEqualTo(freeInRange);
        }
        // and granting it keeps every allocated address with the donor
        Ring after = ring.grant(b.start(), b.end(), RingPropertiesTest.peer(9), me);
        for (var e : alloc.all().entrySet()) {
            for (Cidr c : e.getValue()) {
                assertThat(after.ownerOf(c.address().value())).isEqualTo(me);
            }
        }
        assertThat(List.of(after)).allSatisfy(r -> {
            try {
                r.check();
            } catch (InvalidRingException ex) {
                throw new AssertionError(ex);
            }
        });
    }
}
