package dev.weft.gossip.testkit;

import dev.weft.gossip.spi.Hello;
import dev.weft.gossip.spi.SessionKey;
import dev.weft.gossip.spi.Transport;
import dev.weft.gossip.spi.TransportEvents;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A simulated host's transport: listens on its address in the {@link SimNetwork}, dials others,
 * and "handshakes" by exchanging {@link Hello}s (no bytes, no crypto: the Netty transport's own
 * tests cover those). A connection takes two link latencies to come up, like a TCP connect plus
 * the hello exchange.
 */
final class SimTransport implements Transport {

    private final SimNetwork net;
    private final InetSocketAddress address;
    private final boolean encrypted;
    private Supplier<Hello> identity;
    private TransportEvents events;
    private final Set<SimConnection> connections = new LinkedHashSet<>();
    private int nextPort = 40000;

    /** The next ephemeral port, wrapping within 40000..60999 as a kernel's range does. */
    private int ephemeralPort() {
        int p = nextPort;
        nextPort = p == 60999 ? 40000 : p + 1;
        return p;
    }

    private boolean closed;

    SimTransport(SimNetwork net, InetSocketAddress address, boolean encrypted) {
        this.net = net;
        this.address = address;
        this.encrypted = encrypted;
    }

    @Override
    public void start(Supplier<Hello> identity, TransportEvents events) {
        this.identity = identity;
        this.events = events;
        net.listen(this);
    }

    InetSocketAddress address() {
        return address;
    }

    boolean isListening() {
        return events != null && !closed;
    }

    @Override
    public void dial(InetSocketAddress target, Object attempt) {
        if (closed) {
            return;
        }
        SimTransport remote = net.listener(target);
        LinkRule rule = net.rule(address.getAddress(), target.getAddress());
        if (net.blocked(address.getAddress(), target.getAddress())) {
            net.loop.schedule(
                    rule.connectTimeout().toNanos(),
                    () -> events.dialFailed(target, attempt, "connect timed out", false),
                    false,
                    null);
            return;
        }
        long latency = net.latency(rule);
        if (remote == null) {
            net.loop.schedule(
                    2 * latency, () -> events.dialFailed(target, attempt, "connection refused", false), false, null);
            return;
        }
        net.loop.schedule(2 * latency, () -> connect(remote, target, attempt, latency), false, null);
    }

    private void connect(SimTransport remote, InetSocketAddress target, Object attempt, long latency) {
        if (closed) {
            return;
        }
        if (!remote.isListening()
                || net.listener(target) != remote
                || net.blocked(address.getAddress(), target.getAddress())) {
            events.dialFailed(target, attempt, "connection refused", false);
            return;
        }
        Hello mine = identity.get().withConnectionId(net.random.nextLong());
        Hello theirs = remote.identity.get().withConnectionId(net.random.nextLong());
        long uid = mine.connectionId() ^ theirs.connectionId();
        Optional<SessionKey> key = Optional.empty();
        if (encrypted && remote.encrypted) {
            byte[] k = new byte[32];
            net.random.nextBytes(k);
            key = Optional.of(new SessionKey(k));
        } else if (encrypted != remote.encrypted) {
            String why = encrypted ? "remote has no password" : "remote requires a password";
            events.dialFailed(target, attempt, "password mismatch: " + why, false);
            remote.events.inboundFailed(
                    new InetSocketAddress(address.getAddress(), ephemeralPort()), "password mismatch");
            return;
        }
        InetSocketAddress localEnd = new InetSocketAddress(address.getAddress(), ephemeralPort());
        SimConnection out =
                new SimConnection(net, this, mine, theirs, uid, true, attempt, localEnd, target, key, latency);
        SimConnection in =
                new SimConnection(net, remote, theirs, mine, uid, false, null, target, localEnd, key, latency);
        out.peer = in;
        in.peer = out;
        connections.add(out);
        remote.connections.add(in);
        net.track(out);
        remote.events.connected(in);
        events.connected(out);
    }

    void forget(SimConnection c) {
        connections.remove(c);
    }

    @Override
    public InetSocketAddress listenAddress() {
        return address;
    }

    @Override
    public boolean encrypted() {
        return encrypted;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        net.unlisten(this);
        for (SimConnection c : new ArrayList<>(connections)) {
            c.close("shutting down");
        }
    }

    /** The host crashed: every connection dies at once, without a goodbye. */
    void crash() {
        closed = true;
        net.unlisten(this);
        for (SimConnection c : new ArrayList<>(connections)) {
            c.abort("crashed", "connection reset");
        }
    }
}
