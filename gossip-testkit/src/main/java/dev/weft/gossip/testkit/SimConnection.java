package dev.weft.gossip.testkit;

import dev.weft.gossip.internal.wire.MessageLimits;
import dev.weft.gossip.spi.Hello;
import dev.weft.gossip.spi.MeshMessage;
import dev.weft.gossip.spi.SessionKey;
import dev.weft.gossip.spi.TransportConnection;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One end of a simulated connection. Messages reach the other end after the link's latency, in
 * order (unless the link reorders), are held while the link is partitioned and are delivered when
 * it heals, unless the heartbeat deadline closed the connection first. Writability follows the
 * bytes in flight against a 64 KiB window, like a socket send buffer.
 */
final class SimConnection implements TransportConnection {

    static final int HIGH_WATER = 64 * 1024;
    static final int LOW_WATER = 32 * 1024;

    private final SimNetwork net;
    private final SimTransport transport;
    private final Hello local;
    private final Hello remote;
    private final long connectionUid;
    private final boolean outbound;
    private final Object attempt;
    private final InetSocketAddress localAddress;
    private final InetSocketAddress remoteAddress;
    private final Optional<SessionKey> sessionKey;
    final long latencyNanos;
    SimConnection peer;

    private Receiver receiver;
    private final ArrayDeque<Runnable> beforeStart = new ArrayDeque<>();
    boolean closed;
    private long inFlight;
    private boolean wantWritable;
    private long lastDelivery;
    private SimLoop.Event batchEvent;
    private List<MeshMessage> batch;
    private final List<MeshMessage> held = new ArrayList<>();

    SimConnection(
            SimNetwork net,
            SimTransport transport,
            Hello local,
            Hello remote,
            long connectionUid,
            boolean outbound,
            Object attempt,
            InetSocketAddress localAddress,
            InetSocketAddress remoteAddress,
            Optional<SessionKey> sessionKey,
            long latencyNanos) {
        this.net = net;
        this.transport = transport;
        this.local = local;
        this.remote = remote;
        this.connectionUid = connectionUid;
        this.outbound = outbound;
        this.attempt = attempt;
        this.localAddress = localAddress;
        this.remoteAddress = remoteAddress;
        this.sessionKey = sessionKey;
        this.latencyNanos = latencyNanos;
    }

    @Override
    public Hello remote() {
        return remote;
    }

    @Override
    public Hello local() {
        return local;
    }

    @Override
    public long connectionUid() {
        return connectionUid;
    }

    @Override
    public boolean outbound() {
        return outbound;
    }

    @Override
    public Object attempt() {
        return attempt;
    }

    @Override
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remoteAddress;
    }

    @Override
    public Optional<SessionKey> sessionKey() {
        return sessionKey;
    }

    @Override
    public void start(Receiver r) {
        if (receiver != null) {
            throw new IllegalStateException("already started");
        }
        receiver = r;
        while (!beforeStart.isEmpty()) {
            beforeStart.poll().run();
        }
    }

    private void toReceiver(Runnable action) {
        if (receiver == null) {
            beforeStart.add(action);
        } else {
            action.run();
        }
    }

    @Override
    public void send(MeshMessage m) {
        MessageLimits.check(m);
        if (closed || peer.closed) {
            return;
        }
        int size = SimNetwork.size(m);
        net.countSent(size);
        if (net.blocked(this)) {
            held.add(m);
            inFlight += size;
            return;
        }
        LinkRule rule = net.rule(this);
        if (rule.dropProbability() > 0 && net.random.nextDouble() < rule.dropProbability()) {
            net.countDropped();
            return;
        }
        inFlight += size;
        long at = net.loop.nanos() + latencyNanos;
        if (!rule.reorder().isZero()) {
            at += net.random.nextLong(rule.reorder().toNanos() + 1);
            schedule(List.of(m), at);
            return;
        }
        at = Math.max(at, lastDelivery);
        if (batchEvent != null && !batchEvent.done && batchEvent.time == at) {
            batch.add(m);
            return;
        }
        lastDelivery = at;
        batch = new ArrayList<>(4);
        batch.add(m);
        batchEvent = schedule(batch, at);
    }

    private SimLoop.Event schedule(List<MeshMessage> messages, long at) {
        return net.loop.schedule(at - net.loop.nanos(), () -> deliver(messages), false, null);
    }

    private void deliver(List<MeshMessage> messages) {
        for (MeshMessage m : messages) {
            long size = SimNetwork.size(m);
            inFlight -= size;
            if (peer.closed) {
                continue; // the receiving end is gone; data already sent still arrives otherwise
            }
            net.countDelivered();
            peer.toReceiver(() -> peer.receiver.message(m));
        }
        if (wantWritable && inFlight <= LOW_WATER && !closed) {
            wantWritable = false;
            toReceiver(() -> receiver.writable());
        }
    }

    /** Re-sends messages held during a partition (the link healed). */
    void releaseHeld() {
        if (held.isEmpty() || closed) {
            return;
        }
        List<MeshMessage> h = new ArrayList<>(held);
        held.clear();
        for (MeshMessage m : h) {
            inFlight -= SimNetwork.size(m);
            send(m);
        }
    }

    @Override
    public boolean isWritable() {
        if (inFlight > HIGH_WATER) {
            wantWritable = true;
            return false;
        }
        return !closed;
    }

    @Override
    public void close(String reason) {
        if (closed) {
            return;
        }
        closed = true;
        transport.forget(this);
        toReceiver(() -> receiver.closed(reason));
        // The remote notices after the link latency, after messages already on the way.
        long at = Math.max(net.loop.nanos() + latencyNanos, lastDelivery);
        if (net.blocked(this)) {
            at = net.loop.nanos() + net.rule(this).deadline().toNanos();
        }
        net.loop.schedule(at - net.loop.nanos(), () -> peer.remoteClosed(reason), false, null);
    }

    /** The other end closed. */
    void remoteClosed(String reason) {
        if (closed) {
            return;
        }
        closed = true;
        transport.forget(this);
        toReceiver(() -> receiver.closed("closed by remote: " + reason));
    }

    /** Both ends die at once (crash of this side's host or a heartbeat deadline). */
    void abort(String localReason, String remoteReason) {
        if (!closed) {
            closed = true;
            transport.forget(this);
            toReceiver(() -> receiver.closed(localReason));
        }
        if (!peer.closed) {
            peer.remoteClosed(remoteReason);
        }
    }

    @Override
    public String toString() {
        return (outbound ? "->" : "<-") + remoteAddress;
    }
}
