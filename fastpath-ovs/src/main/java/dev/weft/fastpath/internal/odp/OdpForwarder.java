package dev.weft.fastpath.internal.odp;

import dev.weft.fastpath.api.Vni;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Answers the datapath's miss upcalls the way Weave's fast datapath does (weave-net.md 7.3-7.5):
 * a learning Ethernet bridge over the datapath's local ports (pods' host veths plugged in
 * directly, and the veth to the Linux bridge), plus one VXLAN vport that reaches every peer whose
 * connection uses the fast path, the VNI carrying both short IDs ({@link Vni}), plus, optionally,
 * sleeve's TAP as the <em>sleeve port</em>: what userspace carries to peers the fast path does not.
 *
 * <ul>
 *   <li>From a local port: learn the source MAC; a known local destination gets {@code
 *       output(port)}, a known remote one {@code set(tunnel) output(vxlan)}, one learnt behind
 *       sleeve's port {@code output(sleeve)}; broadcast and multicast go to every other local
 *       port, every peer and (while {@linkplain #setSleeveFlooding sleeve flooding} is on) sleeve's
 *       port. Those get a flow. An unknown unicast destination is flooded the same way but gets
 *       no flow (it would need invalidating as soon as the address is learnt).
 *   <li>From the VXLAN port: the VNI's destination must be us (else the frame is dropped and
 *       nothing installed); a frame with both MACs zero is a fast-path heartbeat, handed to the
 *       {@link HeartbeatSink} whoever sent it; any other frame must come from a carried peer, and
 *       the source MAC is learnt as that peer's and the frame goes to the local destination (or
 *       every local port), matched on in-port, tunnel id and outer addresses.
 *   <li>From sleeve's port: the source MAC is learnt behind it; the frame goes to local ports
 *       only.
 *   <li>Split horizon: a frame that came from a peer (through the tunnel or through sleeve) never
 *       leaves through the tunnel or sleeve again: the mesh is full, relaying is sleeve's job in
 *       userspace, and nothing is carried twice.
 *   <li>Flows that would send a frame back out of its ingress port are vetoed (hairpin).
 *   <li>All flows are flushed when the peer set or our short ID changes, when a port is added or
 *       removed, when a MAC moves, when sleeve flooding is switched and when sleeve's MACs are
 *       forgotten; idle flows expire in {@link #expireIdleFlows()}.
 * </ul>
 *
 * <p>An actor: every method runs on the one thread that owns this forwarder (the upcall loop),
 * so there are no locks and no flush can race an install.
 */
public final class OdpForwarder {

    /** Receives heartbeat frames that arrived through the tunnel. */
    @FunctionalInterface
    public interface HeartbeatSink {
        /** {@code frame} is the caller's, valid during the call; {@code sourceShortId} sent it. */
        void onHeartbeat(int sourceShortId, int outerSourceIpv4, byte[] frame);
    }

    private final DatapathControl datapath;
    private final int vxlanPort;
    private final int localIpv4;
    private final HeartbeatSink heartbeats;
    private final TreeSet<Integer> localPorts = new TreeSet<>();
    /** short ID -> underlay IPv4 of peers reachable through the fast path right now. */
    private final TreeMap<Integer, Integer> peers = new TreeMap<>();

    private final Map<Long, Integer> localMacs = new HashMap<>();
    private final Map<Long, Integer> remoteMacs = new HashMap<>();
    /** MACs learnt from frames sleeve delivered (behind {@link #sleevePort}). */
    private final Set<Long> sleeveMacs = new HashSet<>();

    private int sleevePort = -1;
    private boolean sleeveFlooding = true;
    private int localShortId;
    private long flushes;
    private long installs;
    private long vetoes;
    private long dropped;

    public OdpForwarder(
            DatapathControl datapath, int vxlanPort, int localShortId, int localIpv4, HeartbeatSink heartbeats) {
        this.datapath = datapath;
        this.vxlanPort = vxlanPort;
        this.localShortId = checkShortId(localShortId);
        this.localIpv4 = localIpv4;
        this.heartbeats = heartbeats;
    }

    /** Adds a local bridge port (a pod veth or the datapath's internal port). Flushes flows. */
    public void addLocalPort(int port) {
        if (port == vxlanPort) {
            throw new IllegalArgumentException("port " + port + " is the VXLAN port");
        }
        if (port == sleevePort) {
            throw new IllegalArgumentException("port " + port + " is sleeve's port");
        }
        if (localPorts.add(port)) {
            flush();
        }
    }

    /** Removes a local port and forgets the MACs learnt on it. Flushes flows. */
    public void removeLocalPort(int port) {
        if (localPorts.remove(port)) {
            localMacs.values().removeIf(p -> p == port);
            flush();
        }
    }

    /**
     * Sleeve's TAP is datapath port {@code port}: frames from it reach local ports only, and frames
     * for MACs learnt behind it (and floods, while {@link #setSleeveFlooding} is on) go to it. -1:
     * none. Flushes flows.
     */
    public void setSleevePort(int port) {
        if (port == vxlanPort || (port >= 0 && localPorts.contains(port))) {
            throw new IllegalArgumentException("port " + port + " is the VXLAN port or a local port");
        }
        if (port != sleevePort) {
            sleevePort = port;
            sleeveMacs.clear();
            flush();
        }
    }

    /**
     * Whether floods from local ports (broadcast, multicast, unknown unicast) also go to sleeve's
     * port. Off while the fast path carries every reachable peer, so userspace sees no pod frames.
     * A change flushes flows.
     */
    public void setSleeveFlooding(boolean on) {
        if (on != sleeveFlooding) {
            sleeveFlooding = on;
            flush();
        }
    }

    /**
     * Forgets the MACs learnt behind sleeve's port (a peer sleeve carried is on the fast path now).
     * Flushes flows if there were any.
     */
    public void forgetSleeveMacs() {
        if (!sleeveMacs.isEmpty()) {
            sleeveMacs.clear();
            flush();
        }
    }

    /** Our short ID changed (lost a collision). Flushes flows: every VNI we send changes. */
    public void setLocalShortId(int shortId) {
        if (checkShortId(shortId) != localShortId) {
            localShortId = shortId;
            flush();
        }
    }

    /**
     * The peers to reach through the fast path (short ID to underlay IPv4), replacing the previous
     * set. Any change (a peer gone, a short ID reassigned, a connection falling back to sleeve)
     * flushes flows; MACs of peers no longer in the set are forgotten.
     */
    public void setPeers(Map<Integer, Integer> fastPeers) {
        if (peers.equals(fastPeers)) {
            return;
        }
        peers.clear();
        for (Map.Entry<Integer, Integer> peer : fastPeers.entrySet()) {
            peers.put(checkShortId(peer.getKey()), peer.getValue());
        }
        remoteMacs.values().removeIf(shortId -> !peers.containsKey(shortId));
        flush();
    }

    /** Handles one miss upcall: decides, installs a flow where that is safe, executes the frame. */
    public void onMiss(OdpMiss miss) {
        OdpFlowKey key = miss.key();
        if (key.inPort() == vxlanPort && key.tunnel() != null) {
            fromTunnel(miss, key);
        } else if (localPorts.contains(key.inPort())) {
            fromLocal(miss, key);
        } else if (key.inPort() == sleevePort && sleevePort >= 0) {
            fromSleeve(miss, key);
        } else {
            dropped++;
        }
    }

    /**
     * Sends a fast-path heartbeat frame (both MACs zero) to {@code peerShortId} through the
     * tunnel. False if that peer is not in the fast-path set.
     */
    public boolean sendHeartbeat(int peerShortId, int peerIpv4, ByteBuffer frame) {
        List<OdpAction> actions = List.of(
                new OdpAction.SetTunnel(OdpTunnelKey.toPeer(Vni.of(localShortId, peerShortId), localIpv4, peerIpv4)),
                new OdpAction.Output(vxlanPort));
        datapath.execute(frame, 0, actions); // ingress: the datapath's own port (OVSP_LOCAL)
        return true;
    }

    /**
     * Idle expiry, run periodically (Weave: every 5 minutes): deletes flows that matched no packet
     * since the previous pass and resets the counters of the others. Returns how many it deleted.
     */
    public int expireIdleFlows() {
        int deleted = 0;
        for (OdpFlow flow : datapath.flows()) {
            if (flow.usedMillis() == 0) {
                if (datapath.deleteFlow(flow.key())) {
                    deleted++;
                }
            } else {
                datapath.clearFlowStats(flow.key());
            }
        }
        return deleted;
    }

    /** Flushes every flow now. */
    public void flush() {
        datapath.flushFlows();
        flushes++;
    }

    public long flushes() {
        return flushes;
    }

    public long installs() {
        return installs;
    }

    public long vetoes() {
        return vetoes;
    }

    /** Misses dropped: unknown ingress, a VNI not for us, an unknown sending peer. */
    public long dropped() {
        return dropped;
    }

    private void fromLocal(OdpMiss miss, OdpFlowKey key) {
        long src = key.ethSrc();
        long dst = key.ethDst();
        learnLocal(src, key.inPort());
        List<OdpAction> actions;
        boolean install = true;
        Integer localPort = localMacs.get(dst);
        Integer peer = remoteMacs.get(dst);
        if (Mac.isGroup(dst)) {
            actions = flood(key.inPort(), true);
        } else if (localPort != null) {
            if (localPort == key.inPort()) {
                vetoes++;
                return; // hairpin: the destination is on the port the frame came from
            }
            actions = List.of(new OdpAction.Output(localPort));
        } else if (peer != null && peers.containsKey(peer)) {
            actions = toPeer(peer);
        } else if (sleevePort >= 0 && sleeveMacs.contains(dst)) {
            actions = List.of(new OdpAction.Output(sleevePort));
        } else {
            actions = flood(key.inPort(), true);
            install = false;
        }
        apply(miss, OdpFlowKey.of(key.inPort(), src, dst), actions, install);
    }

    private void fromTunnel(OdpMiss miss, OdpFlowKey key) {
        OdpTunnelKey tunnel = key.tunnel();
        if (!Vni.isValid(tunnel.id()) || Vni.destination(tunnel.id()) != localShortId) {
            dropped++;
            return;
        }
        int sender = Vni.source(tunnel.id());
        long src = key.ethSrc();
        long dst = key.ethDst();
        if (src == 0 && dst == 0) {
            // From any sender: heartbeats decide whether a peer is carried, so they must pass
            // before it is. The heartbeat itself names its connection and is checked there.
            heartbeats.onHeartbeat(sender, tunnel.ipv4Src(), miss.frame());
            return;
        }
        if (!peers.containsKey(sender)) {
            dropped++;
            return;
        }
        learnRemote(src, sender);
        Integer localPort = localMacs.get(dst);
        List<OdpAction> actions;
        boolean install = true;
        if (!Mac.isGroup(dst) && localPort != null) {
            actions = List.of(new OdpAction.Output(localPort));
        } else {
            actions = flood(vxlanPort, false);
            install = Mac.isGroup(dst);
        }
        OdpFlowKey flowKey = new OdpFlowKey(vxlanPort, src, dst, tunnel);
        apply(miss, flowKey, actions, install);
    }

    private void fromSleeve(OdpMiss miss, OdpFlowKey key) {
        long src = key.ethSrc();
        long dst = key.ethDst();
        learnSleeve(src);
        Integer localPort = localMacs.get(dst);
        List<OdpAction> actions;
        boolean install = true;
        if (Mac.isGroup(dst)) {
            actions = flood(sleevePort, false);
        } else if (localPort != null) {
            actions = List.of(new OdpAction.Output(localPort));
        } else if (remoteMacs.containsKey(dst) || sleeveMacs.contains(dst)) {
            vetoes++;
            return; // split horizon: from a peer to a peer
        } else {
            actions = flood(sleevePort, false);
            install = false;
        }
        apply(miss, OdpFlowKey.of(key.inPort(), src, dst), actions, install);
    }

    private void apply(OdpMiss miss, OdpFlowKey flowKey, List<OdpAction> actions, boolean install) {
        if (install) {
            datapath.installFlow(flowKey, actions);
            installs++;
        }
        if (!actions.isEmpty()) {
            datapath.execute(ByteBuffer.wrap(miss.frame()), miss.key().inPort(), actions);
        }
    }

    private List<OdpAction> flood(int ingress, boolean toPeers) {
        List<OdpAction> actions = new ArrayList<>();
        for (int port : localPorts) {
            if (port != ingress) {
                actions.add(new OdpAction.Output(port));
            }
        }
        if (toPeers) {
            for (int peer : peers.keySet()) {
                actions.addAll(toPeer(peer));
            }
            if (sleevePort >= 0 && sleeveFlooding) {
                actions.add(new OdpAction.Output(sleevePort));
            }
        }
        return actions;
    }

    private List<OdpAction> toPeer(int peer) {
        return List.of(
                new OdpAction.SetTunnel(OdpTunnelKey.toPeer(Vni.of(localShortId, peer), localIpv4, peers.get(peer))),
                new OdpAction.Output(vxlanPort));
    }

    /** Records {@code mac} on local port {@code port}; a MAC that moved invalidates every flow. */
    private void learnLocal(long mac, int port) {
        if (learnable(mac)) {
            Integer before = localMacs.put(mac, port);
            boolean elsewhere = forgetRemote(mac);
            elsewhere |= sleeveMacs.remove(mac);
            movedIf(elsewhere || (before != null && before != port));
        }
    }

    /** Records {@code mac} behind peer {@code shortId}. */
    private void learnRemote(long mac, int shortId) {
        if (learnable(mac)) {
            Integer before = remoteMacs.put(mac, shortId);
            boolean elsewhere = localMacs.remove(mac) != null;
            elsewhere |= sleeveMacs.remove(mac);
            movedIf(elsewhere || (before != null && before != shortId));
        }
    }

    /** Records {@code mac} behind sleeve's port. */
    private void learnSleeve(long mac) {
        if (learnable(mac) && sleeveMacs.add(mac)) {
            boolean elsewhere = localMacs.remove(mac) != null;
            elsewhere |= forgetRemote(mac);
            movedIf(elsewhere);
        }
    }

    private boolean forgetRemote(long mac) {
        return remoteMacs.remove(mac) != null;
    }

    private static boolean learnable(long mac) {
        return !Mac.isGroup(mac) && mac != 0;
    }

    private void movedIf(boolean moved) {
        if (moved) {
            flush();
        }
    }

    private static int checkShortId(int shortId) {
        if (shortId < 0 || shortId > Vni.MAX_SHORT_ID) {
            throw new IllegalArgumentException("a short ID has 12 bits (0..4095): " + shortId);
        }
        return shortId;
    }
}
