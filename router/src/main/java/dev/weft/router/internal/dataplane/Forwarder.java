package dev.weft.router.internal.dataplane;

import dev.weft.sleeve.api.Drop;
import dev.weft.sleeve.api.Frame;
import dev.weft.sleeve.api.Lane;
import dev.weft.sleeve.spi.FrameHandler;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The router's forwarding decisions for the userspace data plane (Weave's network router):
 *
 * <ul>
 *   <li>A frame captured on the local bridge: its source MAC is learnt as ours (a MAC another peer
 *       owned a moment ago means the frame is looping: dropped); spanning-tree frames are dropped;
 *       a destination owned here is left to the bridge; one owned by a peer is sent towards it; a
 *       broadcast, multicast or unknown destination is flooded along our broadcast tree.
 *   <li>A frame from the overlay for another peer is relayed towards it (the capturing peer named
 *       the destination, so relays need no MAC table). One for us: its source MAC is learnt at its
 *       origin, it is injected into the bridge, and if it is being flooded it goes on along the
 *       origin's broadcast tree.
 * </ul>
 *
 * Frames for unreachable peers are dropped and counted; an IPv4 don't-fragment frame too big
 * for its link is answered with ICMP "fragmentation needed". Runs on the data-plane threads; never
 * blocks; allocates nothing per frame.
 */
public final class Forwarder implements FrameHandler {
    /** 01:80:c2:00:00:00, the spanning-tree protocol's group address. */
    static final long STP_MAC = 0x0180_c200_0000L;

    private final long self;
    private final MacTable macs;
    private final OverlaySwitch overlays;
    private final LongSupplier nanoClock;
    private volatile PeerRoutes routes = PeerRoutes.EMPTY;
    private final LongAdder[] drops = new LongAdder[Drop.values().length];
    private final LongAdder captured = new LongAdder();
    private final LongAdder delivered = new LongAdder();
    private final LongAdder relayed = new LongAdder();

    public Forwarder(long self, MacTable macs, OverlaySwitch overlays, LongSupplier nanoClock) {
        this.self = self;
        this.macs = macs;
        this.overlays = overlays;
        this.nanoClock = nanoClock;
        for (int i = 0; i < drops.length; i++) {
            drops[i] = new LongAdder();
        }
    }

    /** Adopts new routes (from the mesh's route listener). */
    public void routes(PeerRoutes r) {
        this.routes = r;
    }

    public PeerRoutes routes() {
        return routes;
    }

    @Override
    public void captured(Lane lane, Frame frame) {
        captured.increment();
        long now = nanoClock.getAsLong();
        long dstMac = frame.dstMac();
        if (dstMac == STP_MAC) {
            drop(Drop.LOOP);
            return;
        }
        if (macs.learnLocal(frame.srcMac(), self, now) == MacTable.CONFLICT) {
            drop(Drop.LOOP);
            return;
        }
        PeerRoutes r = routes;
        if (frame.isGroupDestination()) {
            flood(lane, r, self, frame);
            return;
        }
        long owner = macs.owner(dstMac, now);
        if (owner == self) {
            drop(Drop.LOCAL);
        } else if (owner == 0) {
            flood(lane, r, self, frame);
        } else {
            unicast(lane, r, self, owner, frame, true);
        }
    }

    @Override
    public void received(Lane lane, long fromPeer, long srcPeer, long dstPeer, boolean flood, Frame frame) {
        PeerRoutes r = routes;
        if (!flood && dstPeer != self) {
            relayed.increment();
            unicast(lane, r, srcPeer, dstPeer, frame, false);
            return;
        }
        if (srcPeer == self) {
            drop(Drop.LOOP); // our own flood came back round
            return;
        }
        macs.learnRemote(frame.srcMac(), srcPeer, nanoClock.getAsLong());
        delivered.increment();
        overlays.inject(lane, frame);
        if (flood) {
            flood(lane, r, srcPeer, frame);
        }
    }

    private void unicast(Lane lane, PeerRoutes r, long src, long dst, Frame frame, boolean local) {
        long hop = r.nextHop(dst);
        if (hop == 0) {
            drop(Drop.NO_ROUTE);
            return;
        }
        int result = overlays.send(lane, r, hop, src, dst, false, frame);
        if (result == OverlaySwitch.TOO_BIG && local) {
            overlays.replyTooBig(lane, hop, frame);
        } else if (result == OverlaySwitch.UNREACHABLE) {
            drop(Drop.NO_ROUTE);
        }
    }

    private void flood(Lane lane, PeerRoutes r, long origin, Frame frame) {
        long[] hops = r.broadcastHops(origin);
        for (long hop : hops) {
            overlays.send(lane, r, hop, origin, hop, true, frame);
        }
    }

    private void drop(Drop reason) {
        drops[reason.ordinal()].increment();
    }

    /** Frames dropped by forwarding decisions, by reason (non-zero only; allocates). */
    public Map<Drop, Long> drops() {
        Map<Drop, Long> m = new EnumMap<>(Drop.class);
        for (Drop d : Drop.values()) {
            long v = drops[d.ordinal()].sum();
            if (v > 0) {
                m.put(d, v);
            }
        }
        return m;
    }

    public long capturedFrames() {
        return captured.sum();
    }

    public long deliveredFrames() {
        return delivered.sum();
    }

    public long relayedFrames() {
        return relayed.sum();
    }
}
