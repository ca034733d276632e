package dev.weft.ipam.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.gossip.api.PeerName;
import dev.weft.ipam.api.Address;
import dev.weft.ipam.api.Cidr;
import dev.weft.ipam.api.ContainerId;
import dev.weft.ipam.api.InitMode;
import dev.weft.ipam.api.IpamConfig;
import dev.weft.ipam.api.IpamException;
import dev.weft.ipam.api.IpamStatus;
import dev.weft.ipam.internal.Allocator;
import dev.weft.ipam.internal.InvalidRingException;
import dev.weft.ipam.internal.IpamCodec;
import dev.weft.ipam.internal.IpamMessage;
import dev.weft.ipam.internal.Ring;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class AllocatorBehaviourTest {

    static final Cidr RANGE = Cidr.parse("10.32.0.0/22");
    static final Duration T = Duration.ofSeconds(30);

    static SimCluster cluster(int peers, InitMode init, long seed) {
        SimCluster c = new SimCluster(seed, IpamConfig.of(RANGE, null, init));
        for (int i = 1; i <= peers; i++) {
            c.add(i);
        }
        return c;
    }

    static <T> T await(SimCluster c, CompletableFuture<T> f) {
        c.world.advanceUntil(f::isDone, Duration.ofMillis(1), Duration.ofMinutes(11));
        assertThat(f).as("future completed in virtual time").isDone();
        return f.join();
    }

    static IpamException failure(SimCluster c, CompletableFuture<?> f) {
        c.world.advanceUntil(f::isDone, Duration.ofMillis(1), Duration.ofMinutes(11));
        assertThat(f).isCompletedExceptionally();
        try {
            f.join();
            throw new AssertionError("unreachable");
        } catch (CompletionException e) {
            return (IpamException) e.getCause();
        }
    }

    static ContainerId id(String s) {
        return ContainerId.of(s);
    }

    @Test
    void allocatesTheLowestFreeAddressIdempotentlyAndFreesByIdOrAddress() {
        SimCluster c = cluster(1, new InitMode.Consensus(1), 1);
        c.bootAll();
        var p = c.peer(SimCluster.name(1)).node;
        Cidr a = await(c, p.allocate(id("a"), Optional.empty(), T));
        Cidr b = await(c, p.allocate(id("b"), Optional.empty(), T));
        assertThat(a).hasToString("10.32.0.1/22"); // network address skipped
        assertThat(b).hasToString("10.32.0.2/22");
        assertThat(await(c, p.allocate(id("a"), Optional.empty(), T))).isEqualTo(a); // idempotent
        assertThat(await(c, p.lookup(id("a")))).containsExactly(a);
        assertThat(await(c, p.free(id("a"), Address.parse("10.32.0.9")))).isFalse();
        assertThat(await(c, p.free(id("a")))).containsExactly(a);
        assertThat(await(c, p.free(id("a")))).isEmpty(); // idempotent
        assertThat(await(c, p.allocate(id("c"), Optional.empty(), T))).isEqualTo(a); // lowest free again
        assertThat(await(c, p.free(id("b"), b.address()))).isTrue();
        // a given subnet: lowest host address inside it
        Cidr sub = Cidr.parse("10.32.2.0/24");
        assertThat(await(c, p.allocate(id("d"), Optional.of(sub), T))).hasToString("10.32.2.1/24");
        assertThat(await(c, p.owned())).containsOnlyKeys(id("c"), id("d"));
    }

    @Test
    void badRequestsFailWithAReason() {
        SimCluster c = cluster(1, new InitMode.Consensus(1), 2);
        c.bootAll();
        var p = c.peer(SimCluster.name(1)).node;
        IpamException outside = failure(c, p.allocate(id("x"), Optional.of(Cidr.parse("10.99.0.0/24")), T));
        assertThat(outside.kind()).isEqualTo(IpamException.Kind.BAD_REQUEST);
        assertThat(outside.getMessage()).contains("10.99.0.0/24").contains("inside the range");
        IpamException hostBits = failure(c, p.allocate(id("x"), Optional.of(Cidr.parse("10.32.0.5/24")), T));
        assertThat(hostBits.kind()).isEqualTo(IpamException.Kind.BAD_REQUEST);
        IpamException rm = failure(c, p.removePeer("no-such-peer", false));
        assertThat(rm.kind()).isEqualTo(IpamException.Kind.BAD_REQUEST);
    }

    @Test
    void claimRecordsOwnAddressesAndRefusesOneHeldByAnotherContainer() {
        SimCluster c = cluster(1, new InitMode.Consensus(1), 3);
        c.bootAll();
        var p = c.peer(SimCluster.name(1)).node;
        Cidr x = Cidr.parse("10.32.1.7/22");
        assertThat(await(c, p.claim(id("a"), x, T))).isEqualTo(x);
        assertThat(await(c, p.claim(id("a"), x, T))).isEqualTo(x);
        IpamException e = failure(c, p.claim(id("b"), x, T));
        assertThat(e.kind()).isEqualTo(IpamException.Kind.CONFLICT);
        assertThat(e.getMessage()).contains("held by container a");
        // outside the range: recorded only
        Cidr foreign = Cidr.parse("192.168.1.5/24");
        assertThat(await(c, p.claim(id("b"), foreign, T))).isEqualTo(foreign);
        assertThat(await(c, p.lookup(id("b")))).containsExactly(foreign);
    }

    @Test
    void consensusWaitsForAQuorumAndSaysSo() {
        SimCluster c = cluster(3, new InitMode.Consensus(3), 4);
        c.peer(SimCluster.name(1)).boot(true); // only one of three is up
        var p = c.peer(SimCluster.name(1)).node;
        IpamStatus idle = await(c, p.status());
        assertThat(idle.state()).isEqualTo(IpamStatus.State.IDLE);
        IpamException e = failure(c, p.allocate(id("a"), Optional.empty(), Duration.ofSeconds(20)));
        assertThat(e.kind()).isEqualTo(IpamException.Kind.TIMEOUT);
        assertThat(e.getMessage()).contains("awaiting consensus: 1 of 3 expected peers seen (quorum 2)");
        // a second peer comes up: quorum reached, the ring is seeded for the peers that voted
        c.peer(SimCluster.name(2)).boot(true);
        Cidr a = await(c, p.allocate(id("a"), Optional.empty(), T));
        assertThat(RANGE.contains(a.address().value())).isTrue();
        IpamStatus ready = await(c, p.status());
        assertThat(ready.state()).isEqualTo(IpamStatus.State.READY);
        assertThat(ready.owners()).hasSize(2);
    }

    @Test
    void aPeerWithoutFreeSpaceGetsSomeFromAnother() {
        SimCluster c = cluster(
                2,
                new InitMode.Seed(List.of(
                        SimCluster.name(1).toString(), SimCluster.name(2).toString())),
                5);
        c.bootAll();
        var p1 = c.peer(SimCluster.name(1)).node;
        // peer 1 owns half the /22 (512 addresses, 511 usable in the subnet); ask for 700
        for (int i = 0; i < 700; i++) {
            await(c, p1.allocate(id("c" + i), Optional.empty(), T));
        }
        c.world.advance(Duration.ofSeconds(1));
        long owned1 = ring(c, 1).addressesByOwner().get(SimCluster.name(1));
        assertThat(owned1).isGreaterThan(700);
        assertThat(await(c, c.peer(SimCluster.name(2)).node.status()).owners()).anySatisfy(o -> assertThat(o.peer())
                .isEqualTo(SimCluster.name(1).toString()));
    }

    @Test
    void waitingForAnUnreachableOwnerSaysWhoAndWhatToDo() {
        SimCluster c = cluster(
                2,
                new InitMode.Seed(List.of(
                        SimCluster.name(1).toString(), SimCluster.name(2).toString())),
                6);
        c.bootAll();
        var p1 = c.peer(SimCluster.name(1)).node;
        for (int i = 0; i < 511; i++) {
            await(c, p1.allocate(id("c" + i), Optional.empty(), T));
        }
        c.peer(SimCluster.name(2)).crash(false);
        IpamException e = failure(c, p1.allocate(id("more"), Optional.empty(), Duration.ofSeconds(10)));
        assertThat(e.kind()).isEqualTo(IpamException.Kind.TIMEOUT);
        assertThat(e.getMessage())
                .contains("unreachable")
                .contains(SimCluster.name(2).toString())
                .contains("rmpeer");
        IpamStatus s = await(c, p1.status());
        assertThat(s.advice()).anySatisfy(a -> assertThat(a).contains("weft rmpeer " + SimCluster.name(2)));
    }

    @Test
    void twoPeersRemovingTheSameDeadPeerAgreeOnOneOwner() {
        SimCluster c = cluster(4, new InitMode.Consensus(4), 7);
        c.bootAll();
        for (int i = 1; i <= 4; i++) {
            await(c, c.peer(SimCluster.name(i)).node.allocate(id("x" + i), Optional.empty(), T));
        }
        c.world.advance(Duration.ofSeconds(5));
        PeerName dead = SimCluster.name(3);
        c.peer(dead).crash(false);
        c.world.advance(Duration.ofSeconds(60));
        // both run rmpeer at the same moment, each on its own view
        var r1 = c.peer(SimCluster.name(1)).node.removePeer(dead.toString(), false);
        var r2 = c.peer(SimCluster.name(4)).node.removePeer(dead.toString(), false);
        String m1 = await(c, r1);
        String m2 = await(c, r2);
        assertThat(m1).contains("removed peer " + dead).contains("heirs:");
        assertThat(m2).contains("heirs:");
        c.world.advance(Duration.ofSeconds(70));
        Ring reference = ring(c, 1);
        for (int i : new int[] {1, 2, 4}) {
            Ring r = ring(c, i);
            assertThat(r.entries()).isEqualTo(reference.entries());
            assertThat(await(c, c.peer(SimCluster.name(i)).node.status()).refusedUpdates())
                    .isZero();
        }
        assertThat(reference.addressesByOwner()).doesNotContainKey(dead);
        assertThat(reference.removed()).containsExactly(dead);
        // and the space is usable again: every live peer can still allocate
        for (int i : new int[] {1, 2, 4}) {
            await(c, c.peer(SimCluster.name(i)).node.allocate(id("y" + i), Optional.empty(), T));
        }
        // the removed peer coming back (a mistake) refuses to allocate
        c.peer(dead).boot(true);
        c.world.advance(Duration.ofSeconds(40));
        IpamException back = failure(c, c.peer(dead).node.allocate(id("z"), Optional.empty(), T));
        assertThat(back.kind()).isEqualTo(IpamException.Kind.UNAVAILABLE);
        assertThat(back.getMessage()).contains("removed");
    }

    @Test
    void rmpeerOfAReachablePeerIsRefused() {
        SimCluster c = cluster(2, new InitMode.Consensus(2), 8);
        c.bootAll();
        await(c, c.peer(SimCluster.name(1)).node.allocate(id("a"), Optional.empty(), T));
        IpamException e = failure(
                c, c.peer(SimCluster.name(1)).node.removePeer(SimCluster.name(2).toString(), false));
        assertThat(e.kind()).isEqualTo(IpamException.Kind.CONFLICT);
        assertThat(e.getMessage()).contains("reachable");
    }

    @Test
    void gracefulLeaveHandsEverythingToALiveHeirWhoConfirms() {
        SimCluster c = cluster(3, new InitMode.Consensus(3), 9);
        c.bootAll();
        var p2 = c.peer(SimCluster.name(2)).node;
        await(c, p2.allocate(id("a"), Optional.empty(), T));
        c.world.advance(Duration.ofSeconds(1));
        IpamException busy = failure(c, p2.leave(false));
        assertThat(busy.kind()).isEqualTo(IpamException.Kind.CONFLICT);
        await(c, p2.free(id("a")));
        String done = await(c, p2.leave(false));
        assertThat(done).contains("handed").contains("confirmed");
        c.world.advance(Duration.ofSeconds(1));
        assertThat(ring(c, 1).addressesByOwner()).doesNotContainKey(SimCluster.name(2));
        assertThat(failure(c, p2.allocate(id("b"), Optional.empty(), T)).kind())
                .isEqualTo(IpamException.Kind.UNAVAILABLE);
    }

    @Test
    void aCrashLosesNoAcknowledgedAllocationAndRestartResumes() {
        SimCluster c = cluster(1, new InitMode.Consensus(1), 10);
        c.bootAll();
        var peer = c.peer(SimCluster.name(1));
        List<CompletableFuture<Cidr>> fs = new java.util.ArrayList<>();
        for (int i = 0; i < 50; i++) {
            CompletableFuture<Cidr> f = new CompletableFuture<>();
            fs.add(f);
            String name = "c" + i;
            // one request every 0.1 ms: several group commits, the crash falls between two
            c.world.at(
                    i * 100_000L,
                    () -> peer.node.allocate(id(name), Optional.empty(), T).whenComplete((v, e) -> {
                        if (e == null) {
                            f.complete(v);
                        }
                    }));
        }
        // crash in the middle: some are acknowledged, some not
        c.world.advanceUntil(
                () -> fs.stream().filter(CompletableFuture::isDone).count() >= 20,
                Duration.ofNanos(50_000),
                Duration.ofSeconds(5));
        peer.crash(false);
        List<Integer> acked = new java.util.ArrayList<>();
        for (int i = 0; i < fs.size(); i++) {
            if (fs.get(i).isDone()) {
                acked.add(i);
            }
        }
        assertThat(acked).isNotEmpty().hasSizeLessThan(50);
        peer.boot(true);
        for (int i : acked) {
            assertThat(await(c, peer.node.lookup(id("c" + i))))
                    .containsExactly(fs.get(i).join());
        }
        // and reallocation of an unacknowledged id never collides with an acknowledged address
        Cidr again = await(c, peer.node.allocate(id("c49"), Optional.empty(), T));
        assertThat(acked.stream().map(i -> fs.get(i).join())).doesNotContain(again);
    }

    @Test
    void aMergeWhoseResultWouldBreakAnInvariantIsRefusedAndReported() {
        SimCluster c = cluster(1, new InitMode.Consensus(1), 3);
        c.bootAll();
        var p = c.peer(SimCluster.name(1)).node;
        await(c, p.allocate(id("a"), Optional.empty(), T));
        Ring mine = ring(c, 1);
        // Two rings, each valid, whose union names more removed peers than a ring may carry.
        List<PeerName> some = new ArrayList<>();
        List<PeerName> others = new ArrayList<>();
        for (int i = 0; i < 6000; i++) {
            some.add(PeerName.of(0x0a_00_00_00_00_00L + i));
            others.add(PeerName.of(0x0b_00_00_00_00_00L + i));
        }
        byte[] first = encoded(mine, some);
        byte[] second = encoded(mine, others);
        PeerName src = SimCluster.name(9);
        p.actor().execute(() -> {
            p.allocator().onMessage(src, first, Allocator.Via.UNICAST);
            p.allocator().onMessage(src, second, Allocator.Via.UNICAST);
            p.allocator().flush();
        });
        IpamStatus s = await(c, p.status());
        assertThat(s.refusedUpdates()).isEqualTo(1);
        assertThat(s.lastRefusal()).contains("the merged ring would be invalid").contains("more than 10000");
        assertThat(ring(c, 1).removed()).as("the first (valid) one was adopted").hasSize(6000);
        assertThat(await(c, p.allocate(id("b"), Optional.empty(), T))).isNotNull();
    }

    private static byte[] encoded(Ring r, List<PeerName> removed) {
        try {
            Ring x = Ring.of(r.start(), r.end(), r.entries(), r.seeds(), removed);
            return IpamCodec.encode(new IpamMessage.State(x, Map.of(), false));
        } catch (InvalidRingException e) {
            throw new AssertionError(e);
        }
    }

    static Ring ring(SimCluster c, int i) {
        var a = c.peer(SimCluster.name(i)).node.allocator();
        return a.currentRing();
    }
}
