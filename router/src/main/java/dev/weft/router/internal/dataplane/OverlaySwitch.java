package dev.weft.router.internal.dataplane;

import dev.weft.gossip.api.Mesh;
import dev.weft.gossip.api.PeerName;
import dev.weft.gossip.spi.Overlay;
import dev.weft.gossip.spi.OverlayConnection;
import dev.weft.gossip.spi.OverlayConnectionParams;
import dev.weft.gossip.spi.OverlayException;
import dev.weft.sleeve.api.Frame;
import dev.weft.sleeve.api.Lane;
import dev.weft.sleeve.api.PeerMap;
import dev.weft.sleeve.api.Sleeve;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * Runs several overlays per mesh connection and forwards on the best one (Weave's overlay
 * switch). Overlays are given in preference order (a kernel fast path first, sleeve last); per
 * connection, every overlay both peers run (the handshake feature {@code overlays}) gets its own
 * sub-connection, in the dialler's order. The connection is established as soon as one
 * sub-connection is; frames go on the most preferred established one that has neither failed nor
 * been suspended (a fast path whose heartbeats stopped puts itself on hold and resumes when they
 * pass again), else on the most preferred one still working; only when every sub-connection failed
 * does the connection fail. Sub-connections' control messages travel over the one TCP connection prefixed with their
 * index.
 *
 * <p>The data plane asks {@link #send} per frame: sleeve frames go straight to {@link Sleeve}
 * on the caller's lane; other overlays get the frame through {@link OverlayConnection#forward}
 * and sleeve takes it if they refuse.
 */
public final class OverlaySwitch implements Overlay {
    public static final String FEATURE = "overlays";
    public static final int SENT = 0;
    public static final int TOO_BIG = 1;
    public static final int UNREACHABLE = 2;

    private final List<Overlay> overlays;
    private final Sleeve sleeve;
    private volatile PeerMap<SwitchConnection> byPeer = PeerMap.empty();
    private final Object lock = new Object();
    private final List<BiConsumer<PeerName, String>> listeners = new CopyOnWriteArrayList<>();

    /**
     * @param overlays every overlay this router runs, most preferred first; must include {@code
     *     sleeve.overlay()}, normally last
     */
    public OverlaySwitch(List<Overlay> overlays, Sleeve sleeve) {
        if (!overlays.contains(sleeve.overlay())) {
            throw new IllegalArgumentException("the switch needs sleeve among its overlays");
        }
        this.overlays = List.copyOf(overlays);
        this.sleeve = sleeve;
    }

    @Override
    public String name() {
        return "switch";
    }

    /**
     * Calls {@code listener} with a peer and the name of the overlay its connection now forwards
     * on, whenever that changes (e.g. a fast path taking over from sleeve or falling back). Any
     * thread; the listener must not block.
     */
    public void onActiveOverlayChanged(BiConsumer<PeerName, String> listener) {
        listeners.add(listener);
    }

    @Override
    public void start(Mesh mesh) {
        for (Overlay o : overlays) {
            o.start(mesh);
        }
    }

    @Override
    public void addFeaturesTo(Map<String, String> features) {
        features.put(
                FEATURE, String.join(" ", overlays.stream().map(Overlay::name).toList()));
        for (Overlay o : overlays) {
            o.addFeaturesTo(features);
        }
    }

    @Override
    public OverlayConnection prepareConnection(OverlayConnectionParams params) throws OverlayException {
        String theirs = params.remoteFeatures().getOrDefault(FEATURE, "sleeve");
        List<String> remote = Arrays.asList(theirs.trim().split(" +"));
        List<String> mine = overlays.stream().map(Overlay::name).toList();
        List<String> order = params.outbound() ? mine : remote;
        List<String> other = params.outbound() ? remote : mine;
        List<String> common = new ArrayList<>();
        for (String n : order) {
            if (other.contains(n) && mine.contains(n) && !common.contains(n)) {
                common.add(n);
            }
        }
        if (common.isEmpty()) {
            throw new OverlayException(
                    "no overlay in common with " + params.remotePeer() + ": ours " + mine + ", theirs " + remote);
        }
        SwitchConnection c = new SwitchConnection(this, params, common);
        StringBuilder refused = new StringBuilder();
        for (int i = 0; i < common.size(); i++) {
            Overlay o = overlay(common.get(i));
            try {
                c.add(i, o.prepareConnection(c.subParams(i)));
            } catch (OverlayException e) {
                c.refused(i, e.getMessage());
                refused.append(common.get(i))
                        .append(": ")
                        .append(e.getMessage())
                        .append("; ");
            }
        }
        if (!c.anyWorking()) {
            throw new OverlayException(
                    "no overlay could serve the connection to " + params.remotePeer() + ": " + refused);
        }
        return c;
    }

    private Overlay overlay(String name) {
        for (Overlay o : overlays) {
            if (o.name().equals(name)) {
                return o;
            }
        }
        throw new IllegalStateException("unknown overlay " + name);
    }

    boolean isSleeve(String name) {
        return sleeve.overlay().name().equals(name);
    }

    void publish(SwitchConnection c) {
        synchronized (lock) {
            byPeer = byPeer.with(c.remote().value(), c);
        }
    }

    void unpublish(SwitchConnection c) {
        synchronized (lock) {
            if (byPeer.get(c.remote().value()) == c) {
                byPeer = byPeer.with(c.remote().value(), null);
            }
        }
    }

    void activeChanged(PeerName peer, String overlay) {
        for (BiConsumer<PeerName, String> l : listeners) {
            l.accept(peer, overlay);
        }
    }

    /**
     * Sends {@code frame} to the neighbour {@code hop} on the overlay its connection uses now.
     *
     * @return {@link #SENT}, {@link #TOO_BIG} or {@link #UNREACHABLE}
     */
    public int send(Lane lane, PeerRoutes routes, long hop, long src, long dst, boolean flood, Frame frame) {
        SwitchConnection c = byPeer.get(hop);
        if (c == null) {
            return UNREACHABLE;
        }
        OverlayConnection fast = c.activeOther();
        if (fast != null) {
            PeerName s = routes.name(src);
            PeerName d = flood ? PeerName.UNKNOWN : routes.name(dst);
            if (s != null && d != null) {
                ByteBuffer b = frame.buffer();
                int oldLimit = b.limit();
                int oldPosition = b.position();
                b.limit(frame.offset() + frame.length()).position(frame.offset());
                boolean ok;
                try {
                    ok = fast.forward(s, d, b);
                } finally {
                    b.limit(oldLimit).position(oldPosition);
                }
                if (ok) {
                    return SENT;
                }
            }
        }
        return switch (sleeve.send(lane, hop, src, dst, flood, frame)) {
            case Sleeve.SENT -> SENT;
            case Sleeve.TOO_BIG -> TOO_BIG;
            default -> UNREACHABLE;
        };
    }

    /** Delivers a frame to the local bridge. */
    public void inject(Lane lane, Frame frame) {
        sleeve.inject(lane, frame);
    }

    /** Answers a too-big frame for {@code hop} with ICMP carrying that link's MTU. */
    public void replyTooBig(Lane lane, long hop, Frame frame) {
        int mtu = sleeve.frameMtu(hop);
        if (mtu > 0) {
            sleeve.replyTooBig(lane, frame, mtu);
        }
    }

    /** Per connection, for status: peer, overlay in use and why, attributes. */
    public List<Map<String, String>> connections() {
        List<Map<String, String>> l = new ArrayList<>();
        byPeer.forEach((peer, c) -> {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("peer", c.remote().toString());
            m.putAll(c.attrs());
            l.add(m);
        });
        return l;
    }

    @Override
    public Map<String, Object> diagnostics() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("connections", connections());
        for (Overlay o : overlays) {
            d.put(o.name(), o.diagnostics());
        }
        return d;
    }

    @Override
    public void stop() {
        for (Overlay o : overlays) {
            o.stop();
        }
    }
}
