package dev.weft.sleeve.internal.engine;

import dev.weft.gossip.spi.SessionKey;
import dev.weft.sleeve.api.DataPlaneCipher;
import dev.weft.sleeve.api.Frame;
import dev.weft.sleeve.api.Lane;
import dev.weft.sleeve.api.PeerMap;
import dev.weft.sleeve.spi.FrameHandler;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** One peer of an engine test: its links, a TX lane, a receiver, and what it received. */
final class TestPeer implements FrameHandler, ControlEvents {
    record Got(long from, long src, long dst, boolean flood, byte[] frame, int gsoSize) {}

    final long name;
    final long address;
    final DropCounters drops = new DropCounters();
    volatile PeerMap<SleeveLink> links = PeerMap.empty();
    final DataLane tx;
    final Receiver receiver;
    final List<Got> got = new ArrayList<>();
    final List<Long> heartbeats = new ArrayList<>();
    final List<Integer> probes = new ArrayList<>();
    final DataLane control;
    final Heartbeats heartbeatSender;
    /** If set, frames received for another peer are relayed to this link. */
    SleeveLink relayTo;

    TestPeer(long name, long address, MemoryNetwork net) {
        this.name = name;
        this.address = address;
        this.tx = new DataLane(DataLane.TX, net.sink(address), drops, 4, ByteBuffer::allocateDirect);
        DataLane rx = new DataLane(DataLane.RX, net.sink(address), drops, 4, ByteBuffer::allocateDirect);
        this.receiver = new Receiver(() -> links, rx, this, drops, ByteBuffer::allocateDirect);
        this.control = new DataLane(DataLane.CONTROL, net.sink(address), drops, 1, ByteBuffer::allocateDirect);
        this.heartbeatSender = new Heartbeats(control, ByteBuffer.allocate(70_000));
        net.attach(address, receiver);
    }

    SleeveLink connect(TestPeer other, DataPlaneCipher cipher, SessionKey sessionKey, long uid, int pathMtu) {
        SleeveLink l = new SleeveLink(
                name, other.name, uid, cipher, sessionKey, other.address, pathMtu, ByteBuffer::allocate, this);
        links = links.with(other.name, l);
        return l;
    }

    @Override
    public void captured(Lane lane, Frame frame) {
        throw new AssertionError("no capture in engine tests");
    }

    @Override
    public void received(Lane lane, long fromPeer, long srcPeer, long dstPeer, boolean flood, Frame frame) {
        if (dstPeer != name && relayTo != null) {
            receiver.lane().send(relayTo, srcPeer, dstPeer, flood, frame);
            return;
        }
        byte[] bytes = new byte[frame.length()];
        frame.buffer().get(frame.offset(), bytes);
        got.add(new Got(
                fromPeer, srcPeer, dstPeer, flood, bytes, frame.offload().gsoSize()));
    }

    @Override
    public void heartbeat(SleeveLink link, long from) {
        heartbeats.add(from);
    }

    @Override
    public void probe(SleeveLink link, int datagramLength) {
        probes.add(datagramLength);
    }

    /** An Ethernet/IPv4 frame of {@code length} bytes at offset 64 of a fresh buffer. */
    static Frame ipv4Frame(int length, boolean dontFragment, byte fill) {
        ByteBuffer b = ByteBuffer.allocateDirect(length + 64);
        for (int i = 0; i < length; i++) {
            b.put(64 + i, (byte) (fill + i));
        }
        b.putShort(64, (short) 0x0200).putInt(66, 0x00000002); // dst 02:00:00:00:00:02
        b.putShort(70, (short) 0x0200).putInt(72, 0x00000001); // src 02:00:00:00:00:01
        b.putShort(76, (short) Frame.ETHERTYPE_IPV4);
        b.put(78, (byte) 0x45);
        b.putShort(80, (short) (length - 14));
        b.put(84, (byte) (dontFragment ? 0x40 : 0));
        Frame f = new Frame().set(b, 64, length);
        f.offload().clear();
        return f;
    }
}
