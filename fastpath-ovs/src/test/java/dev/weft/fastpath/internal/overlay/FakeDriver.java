package dev.weft.fastpath.internal.overlay;

import dev.weft.fastpath.internal.driver.Driver;
import dev.weft.fastpath.internal.driver.PeerPath;
import dev.weft.fastpath.internal.wire.HeartbeatFrame;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A driver whose "kernel" is a set of flags: heartbeats reach the peer's overlay while {@link
 * #up} is true (one direction), and the test reads what the overlay asked it to carry.
 */
final class FakeDriver implements Driver {
    final String kind;
    final long mac;
    final int mtu;
    final Set<PeerPath> peers = new LinkedHashSet<>();
    final Set<PeerPath> carrying = new LinkedHashSet<>();
    final List<String> log = new ArrayList<>();
    int purges;
    Boolean sleeveFlooding;
    int sleeveFlushes;
    volatile boolean up = true;
    Consumer<HeartbeatFrame.Heartbeat> wire = hb -> {};

    FakeDriver(String kind, long mac, int mtu) {
        this.kind = kind;
        this.mac = mac;
        this.mtu = mtu;
    }

    @Override
    public String kind() {
        return kind;
    }

    @Override
    public String port() {
        return "fake0";
    }

    @Override
    public int udpPort() {
        return 6784;
    }

    @Override
    public int mtu() {
        return mtu;
    }

    @Override
    public long heartbeatMac() {
        return mac;
    }

    @Override
    public void addPeer(PeerPath path) {
        peers.add(path);
        log.add("add " + path.peer());
    }

    @Override
    public void setCarrying(PeerPath path, boolean on) {
        if (on ? carrying.add(path) : carrying.remove(path)) {
            log.add((on ? "carry " : "stop ") + path.peer());
        }
    }

    @Override
    public void purge(PeerPath path) {
        purges++;
    }

    @Override
    public void removePeer(PeerPath path) {
        carrying.remove(path);
        peers.remove(path);
        log.add("remove " + path.peer());
    }

    @Override
    public boolean sendHeartbeat(PeerPath path, ByteBuffer frame) {
        if (frame.remaining() != mtu + 14) {
            throw new AssertionError("heartbeat of " + frame.remaining() + " bytes");
        }
        HeartbeatFrame.Heartbeat hb = HeartbeatFrame.decode(frame);
        if (hb == null || hb.destinationMac() != path.heartbeatMac() || hb.sourceMac() != mac) {
            throw new AssertionError("bad heartbeat " + hb);
        }
        if (up) {
            wire.accept(hb);
        }
        return true;
    }

    @Override
    public void forgetSleeveMacs() {
        sleeveFlushes++;
    }

    @Override
    public void setSleeveFlooding(boolean on) {
        sleeveFlooding = on;
    }

    @Override
    public Map<String, Object> diagnostics() {
        return Map.of("driver", kind);
    }

    @Override
    public void close() {}
}
