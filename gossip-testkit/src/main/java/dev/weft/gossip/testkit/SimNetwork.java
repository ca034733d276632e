package dev.weft.gossip.testkit;

import dev.weft.gossip.spi.MeshMessage;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The simulated underlay: who listens where, per-link rules (latency, drops, reorders), partitions,
 * and counters. Partitions hold messages (TCP retransmits) and close connections that stay cut past
 * the link's heartbeat deadline.
 */
final class SimNetwork {

    private record Pair(InetAddress a, InetAddress b) {
        static Pair of(InetAddress x, InetAddress y) {
            return java.util.Arrays.compare(x.getAddress(), y.getAddress()) <= 0 ? new Pair(x, y) : new Pair(y, x);
        }
    }

    final SimLoop loop;
    final SplittableRandom random;
    private final Map<InetSocketAddress, SimTransport> listeners = new HashMap<>();
    private final Map<Pair, LinkRule> rules = new HashMap<>();
    private final Set<Pair> cut = new HashSet<>();
    private final List<SimConnection> live = new ArrayList<>();
    private LinkRule defaultRule = LinkRule.DEFAULT;
    private long messagesSent;
    private long bytesSent;
    private long messagesDelivered;
    private long messagesDropped;

    SimNetwork(SimLoop loop, SplittableRandom random) {
        this.loop = loop;
        this.random = random;
    }

    static int size(MeshMessage m) {
        return switch (m) {
            case MeshMessage.Gossip g -> 16 + g.channel().length() + g.payload().length;
            case MeshMessage.Broadcast b -> 16 + b.channel().length() + b.payload().length;
            case MeshMessage.Unicast u -> 22 + u.channel().length() + u.payload().length;
            case MeshMessage.OverlayControl o -> 8 + o.payload().length;
            case MeshMessage.Refusal r -> 64;
        };
    }

    void listen(SimTransport t) {
        listeners.put(t.address(), t);
    }

    void unlisten(SimTransport t) {
        listeners.remove(t.address(), t);
    }

    SimTransport listener(InetSocketAddress a) {
        return listeners.get(a);
    }

    void track(SimConnection outbound) {
        live.add(outbound);
        if (live.size() % 16384 == 0) {
            live.removeIf(c -> c.closed && c.peer.closed);
        }
    }

    void setDefaultRule(LinkRule rule) {
        defaultRule = rule;
    }

    void setRule(InetAddress a, InetAddress b, LinkRule rule) {
        rules.put(Pair.of(a, b), rule);
    }

    LinkRule rule(InetAddress a, InetAddress b) {
        return rules.getOrDefault(Pair.of(a, b), defaultRule);
    }

    LinkRule rule(SimConnection c) {
        return rule(c.localAddress().getAddress(), c.remoteAddress().getAddress());
    }

    long latency(LinkRule r) {
        long base = r.latency().toNanos();
        long j = r.jitter().toNanos();
        return j == 0 ? base : base - j + random.nextLong(2 * j + 1);
    }

    boolean blocked(InetAddress a, InetAddress b) {
        return !a.equals(b) && cut.contains(Pair.of(a, b));
    }

    boolean blocked(SimConnection c) {
        return blocked(c.localAddress().getAddress(), c.remoteAddress().getAddress());
    }

    /** Cuts the links between every host of {@code a} and every host of {@code b}. */
    void partition(List<InetAddress> a, List<InetAddress> b) {
        for (InetAddress x : a) {
            for (InetAddress y : b) {
                if (!x.equals(y) && cut.add(Pair.of(x, y))) {
                    armDeadlines(x, y);
                }
            }
        }
    }

    private void armDeadlines(InetAddress x, InetAddress y) {
        Pair p = Pair.of(x, y);
        live.removeIf(c -> c.closed && c.peer.closed);
        for (SimConnection c : new ArrayList<>(live)) {
            if (Pair.of(c.localAddress().getAddress(), c.remoteAddress().getAddress())
                    .equals(p)) {
                long deadline = rule(x, y).deadline().toNanos();
                loop.schedule(
                        deadline,
                        () -> {
                            if (cut.contains(p) && !c.closed) {
                                c.abort(
                                        "heartbeat deadline passed (partitioned)",
                                        "heartbeat deadline passed (partitioned)");
                            }
                        },
                        false,
                        null);
            }
        }
    }

    /** Removes every cut. */
    void healAll() {
        cut.clear();
        live.removeIf(c -> c.closed && c.peer.closed);
        for (SimConnection c : live) {
            c.releaseHeld();
            c.peer.releaseHeld();
        }
    }

    void countSent(int size) {
        messagesSent++;
        bytesSent += size;
    }

    void countDelivered() {
        messagesDelivered++;
    }

    void countDropped() {
        messagesDropped++;
    }

    long messagesSent() {
        return messagesSent;
    }

    long bytesSent() {
        return bytesSent;
    }

    long messagesDelivered() {
        return messagesDelivered;
    }

    long messagesDropped() {
        return messagesDropped;
    }
}
