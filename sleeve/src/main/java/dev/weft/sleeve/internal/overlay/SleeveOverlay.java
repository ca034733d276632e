package dev.weft.sleeve.internal.overlay;

import dev.weft.gossip.api.Mesh;
import dev.weft.gossip.api.Scheduler;
import dev.weft.gossip.spi.Overlay;
import dev.weft.gossip.spi.OverlayConnection;
import dev.weft.gossip.spi.OverlayConnectionParams;
import dev.weft.gossip.spi.OverlayException;
import dev.weft.gossip.spi.SessionKey;
import dev.weft.sleeve.api.DataPlaneCipher;
import dev.weft.sleeve.api.SleeveConfig;
import dev.weft.sleeve.internal.engine.Heartbeats;
import dev.weft.sleeve.internal.engine.SleeveEngine;
import dev.weft.sleeve.internal.engine.SleeveLink;
import dev.weft.sleeve.internal.engine.UdpAddress;
import dev.weft.sleeve.internal.wire.DatagramHeader;
import java.net.Inet4Address;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongToIntFunction;

/**
 * Sleeve as a mesh {@link Overlay}: announces its UDP port and ciphers in the handshake, gives
 * every connection a {@link SleeveConnection} with keys derived from the connection's session key
 * and the cipher both ends prefer, and runs their heartbeats and path-MTU discovery on one control
 * actor.
 */
public final class SleeveOverlay implements Overlay {
    public static final String NAME = "sleeve";

    private final SleeveEngine engine;
    private final LongToIntFunction routeMtu;
    private final Map<SleeveLink, SleeveConnection> connections = new ConcurrentHashMap<>();
    private volatile Scheduler actor;
    private volatile Heartbeats heartbeats;

    /**
     * @param routeMtu the kernel's path MTU towards a {@link UdpAddress} (or -1 if unknown)
     */
    public SleeveOverlay(SleeveEngine engine, LongToIntFunction routeMtu) {
        this.engine = engine;
        this.routeMtu = routeMtu;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void start(Mesh mesh) {
        this.actor = mesh.environment().newActor("sleeve");
        this.heartbeats = new Heartbeats(engine.controlLane(), ByteBuffer.allocateDirect(DatagramHeader.MAX_SEALED));
        engine.onSendFailures((link, errno) -> {
            SleeveConnection c = connections.get(link);
            if (c != null) {
                c.sendFailed(errno);
            }
        });
    }

    SleeveEngine engine() {
        return engine;
    }

    SleeveConfig config() {
        return engine.config();
    }

    Heartbeats heartbeats() {
        return heartbeats;
    }

    int routeMtu(long address) {
        return routeMtu.applyAsInt(address);
    }

    void forget(SleeveConnection c) {
        if (c.link() != null) {
            connections.remove(c.link(), c);
        }
    }

    @Override
    public void addFeaturesTo(Map<String, String> features) {
        features.put(
                SleeveFeature.KEY,
                new SleeveFeature(SleeveFeature.VERSION, engine.socket().port(), config().ciphers()).encode());
    }

    @Override
    public OverlayConnection prepareConnection(OverlayConnectionParams params) throws OverlayException {
        Scheduler a = actor;
        if (a == null) {
            throw new OverlayException("sleeve is not started");
        }
        SleeveFeature remote = SleeveFeature.parse(params.remoteFeatures().get(SleeveFeature.KEY))
                .orElseThrow(() -> new OverlayException("peer " + params.remotePeer() + " does not offer sleeve"));
        DataPlaneCipher cipher = DataPlaneCipher.NONE;
        Optional<SessionKey> key = params.sessionKey();
        if (key.isPresent()) {
            List<DataPlaneCipher> mine = config().ciphers();
            cipher = (params.outbound()
                            ? DataPlaneCipher.agree(mine, remote.ciphers())
                            : DataPlaneCipher.agree(remote.ciphers(), mine))
                    .orElseThrow(() -> new OverlayException("no data-plane cipher in common with " + params.remotePeer()
                            + ": ours " + mine + ", theirs " + remote.ciphers()));
        }
        if (!(params.remoteAddress().getAddress() instanceof Inet4Address)) {
            throw new OverlayException("sleeve needs an IPv4 underlay; peer is at " + params.remoteAddress());
        }
        long udp = UdpAddress.of(
                new java.net.InetSocketAddress(params.remoteAddress().getAddress(), remote.port()));
        SleeveConnection c = new SleeveConnection(this, params, a);
        SleeveLink link = new SleeveLink(
                engine.self(),
                params.remotePeer().value(),
                params.connectionUid(),
                cipher,
                key.orElse(null),
                udp,
                1500,
                // Heap: the JDK ciphers work on arrays, so reassembling into one saves a copy.
                ByteBuffer::allocate,
                c);
        c.attach(link);
        connections.put(link, c);
        return c;
    }

    @Override
    public Map<String, Object> diagnostics() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("port", engine.socket().port());
        d.put("tap", engine.port().name());
        d.put("offloads", config().offloads());
        List<Map<String, String>> conns = new ArrayList<>();
        for (SleeveConnection c : connections.values()) {
            Map<String, String> m = new LinkedHashMap<>(c.attrs());
            m.put("peer", dev.weft.gossip.api.PeerName.of(c.link().remote()).toString());
            conns.add(m);
        }
        d.put("connections", conns);
        Map<String, Long> drops = new LinkedHashMap<>();
        engine.drops().snapshot().forEach((k, v) -> {
            if (v > 0) {
                drops.put(k.name().toLowerCase(java.util.Locale.ROOT), v);
            }
        });
        d.put("drops", drops);
        return d;
    }

    /** The connection whose link goes to {@code peer}, if one is published. */
    public Optional<String> state(long peer) {
        SleeveLink l = engine.link(peer);
        SleeveConnection c = l == null ? null : connections.get(l);
        return Optional.ofNullable(c).map(SleeveConnection::state);
    }

    /** True if the published link to {@code peer} has heartbeats passing both ways. */
    public boolean established(long peer) {
        SleeveLink l = engine.link(peer);
        SleeveConnection c = l == null ? null : connections.get(l);
        return c != null && c.isEstablished();
    }

    @Override
    public void stop() {
        for (SleeveConnection c : List.copyOf(connections.values())) {
            c.stop();
        }
    }
}
