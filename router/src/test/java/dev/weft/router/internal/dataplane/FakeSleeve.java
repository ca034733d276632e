package dev.weft.router.internal.dataplane;

import dev.weft.gossip.api.Mesh;
import dev.weft.gossip.api.PeerName;
import dev.weft.gossip.spi.Overlay;
import dev.weft.gossip.spi.OverlayConnection;
import dev.weft.gossip.spi.OverlayConnectionParams;
import dev.weft.gossip.spi.OverlayException;
import dev.weft.sleeve.api.Frame;
import dev.weft.sleeve.api.Lane;
import dev.weft.sleeve.api.Sleeve;
import dev.weft.sleeve.api.SleeveStatus;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Records what the forwarder asks sleeve to do; an overlay whose connections are test handles. */
final class FakeSleeve implements Sleeve {
    record Sent(long hop, long src, long dst, boolean flood, long dstMac) {}

    final List<Sent> sent = new ArrayList<>();
    final List<Long> injected = new ArrayList<>();
    final List<Integer> tooBig = new ArrayList<>();
    int mtu = 1376;
    final FakeOverlay overlay = new FakeOverlay("sleeve");

    @Override
    public Overlay overlay() {
        return overlay;
    }

    @Override
    public boolean established(long peer) {
        return true;
    }

    @Override
    public int send(Lane lane, long nextHop, long srcPeer, long dstPeer, boolean flood, Frame frame) {
        if (frame.isIpv4() && frame.ipv4DontFragment() && frame.length() - 14 > mtu) {
            return TOO_BIG;
        }
        sent.add(new Sent(nextHop, srcPeer, dstPeer, flood, frame.dstMac()));
        return SENT;
    }

    @Override
    public boolean inject(Lane lane, Frame frame) {
        injected.add(frame.srcMac());
        return true;
    }

    @Override
    public void replyTooBig(Lane lane, Frame frame, int m) {
        tooBig.add(m);
    }

    @Override
    public int frameMtu(long peer) {
        return mtu;
    }

    @Override
    public SleeveStatus status() {
        return new SleeveStatus(6783, "tap", true, List.of(), Map.of());
    }

    @Override
    public void close() {}

    /** An overlay whose connections record control messages and frames and can be driven by tests. */
    static final class FakeOverlay implements Overlay {
        final String name;
        final List<FakeConnection> connections = new ArrayList<>();
        boolean refuse;

        FakeOverlay(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void start(Mesh mesh) {}

        @Override
        public void addFeaturesTo(Map<String, String> features) {
            features.put(name, "1");
        }

        @Override
        public OverlayConnection prepareConnection(OverlayConnectionParams params) throws OverlayException {
            if (refuse) {
                throw new OverlayException(name + " cannot");
            }
            FakeConnection c = new FakeConnection(params);
            connections.add(c);
            return c;
        }

        @Override
        public Map<String, Object> diagnostics() {
            return new HashMap<>();
        }

        @Override
        public void stop() {}
    }

    static final class FakeConnection implements OverlayConnection {
        final OverlayConnectionParams params;
        final List<byte[]> control = new ArrayList<>();
        final List<PeerName> forwardedTo = new ArrayList<>();
        boolean confirmed;
        boolean stopped;
        boolean accept = true;

        FakeConnection(OverlayConnectionParams params) {
            this.params = params;
        }

        @Override
        public void confirm() {
            confirmed = true;
        }

        @Override
        public void controlMessage(byte[] message) {
            control.add(message);
        }

        @Override
        public boolean forward(PeerName source, PeerName destination, ByteBuffer frame) {
            forwardedTo.add(destination);
            return accept;
        }

        @Override
        public void stop() {
            stopped = true;
        }

        @Override
        public Map<String, String> attrs() {
            return Map.of("mtu", "1376");
        }
    }
}
