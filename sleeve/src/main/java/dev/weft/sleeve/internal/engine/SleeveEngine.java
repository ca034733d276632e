package dev.weft.sleeve.internal.engine;

import dev.weft.linux.api.UdpReceiveBatch;
import dev.weft.linux.api.UdpSocket;
import dev.weft.sleeve.api.Drop;
import dev.weft.sleeve.api.Frame;
import dev.weft.sleeve.api.Lane;
import dev.weft.sleeve.api.Offload;
import dev.weft.sleeve.api.PeerMap;
import dev.weft.sleeve.api.SleeveConfig;
import dev.weft.sleeve.internal.wire.DatagramHeader;
import dev.weft.sleeve.spi.FrameHandler;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.IntFunction;

/**
 * The moving parts of sleeve on one router: the links (published as an immutable map the
 * data-plane threads read), the capture loop (TAP to lanes), the receive loop (socket to
 * receiver), injection into the TAP, and the lanes of every thread. The overlay
 * ({@code SleeveOverlay}) adds and removes links; the runtime runs {@link #runCapture()} and
 * {@link #runReceive()} on their own threads.
 */
public final class SleeveEngine {
    /** Where a captured frame starts in the read buffer: room for headers in front of it. */
    static final int CAPTURE_AT = 64;

    /** Frames read from the TAP before the lane is flushed. */
    static final int MAX_BURST = 64;

    private final long self;
    private final SleeveConfig config;
    private final FramePort port;
    private final UdpSocket socket;
    private final FrameHandler handler;
    private final DropCounters drops = new DropCounters();
    private volatile PeerMap<SleeveLink> links = PeerMap.empty();
    private final Object linksLock = new Object();

    private final DataLane txLane;
    private final DataLane rxLane;
    private final DataLane controlLane;
    private final DataLane foreignLane;
    private final Receiver receiver;
    private final Frame captured = new Frame();
    private final Frame foreignFrame = new Frame();
    private final ByteBuffer foreignBuffer;
    private final UdpReceiveBatch receiveBatch;
    private volatile boolean closed;
    private volatile SendFailures sendFailures = (remote, errno) -> {};

    /** Where failed sends are reported (the overlay restarts path-MTU discovery on EMSGSIZE). */
    public interface SendFailures {
        void failed(SleeveLink link, int errno);
    }

    public SleeveEngine(long self, SleeveConfig config, FramePort port, UdpSocket socket, FrameHandler handler) {
        this.self = self;
        this.config = config;
        this.port = port;
        this.socket = socket;
        this.handler = handler;
        IntFunction<ByteBuffer> direct = n -> ByteBuffer.allocateDirect(n).order(ByteOrder.BIG_ENDIAN);
        boolean gso = config.offloads();
        this.txLane = new DataLane(DataLane.TX, sink(1024, gso), drops, 16, direct);
        this.rxLane = new DataLane(DataLane.RX, sink(1024, gso), drops, 8, direct);
        this.controlLane = new DataLane(DataLane.CONTROL, sink(64, false), drops, 1, direct);
        this.foreignLane = new DataLane(DataLane.FOREIGN, sink(256, gso), drops, 2, direct);
        this.receiver = new Receiver(() -> links, rxLane, handler, drops, direct);
        this.foreignBuffer = direct.apply(CAPTURE_AT + DatagramHeader.MAX_PLAINTEXT);
        this.receiveBatch = new UdpReceiveBatch(8, 65_536, 0);
    }

    private SocketSink sink(int datagrams, boolean gso) {
        return new SocketSink(socket, datagrams, gso, (remote, errno) -> {
            drops.count(Drop.SEND_FAILED);
            SleeveLink l = linkAt(remote);
            if (l != null) {
                sendFailures.failed(l, errno);
            }
        });
    }

    public long self() {
        return self;
    }

    public SleeveConfig config() {
        return config;
    }

    public DropCounters drops() {
        return drops;
    }

    public FramePort port() {
        return port;
    }

    public UdpSocket socket() {
        return socket;
    }

    public DataLane controlLane() {
        return controlLane;
    }

    public void onSendFailures(SendFailures listener) {
        this.sendFailures = listener;
    }

    /** Makes {@code link} the one the data plane uses for its neighbour. */
    public void publish(SleeveLink link) {
        synchronized (linksLock) {
            links = links.with(link.remote(), link);
        }
    }

    /** Stops using {@code link} (if it is still the one for its neighbour). */
    public void unpublish(SleeveLink link) {
        synchronized (linksLock) {
            if (links.get(link.remote()) == link) {
                links = links.with(link.remote(), null);
            }
        }
    }

    public SleeveLink link(long peer) {
        return links.get(peer);
    }

    public PeerMap<SleeveLink> links() {
        return links;
    }

    private SleeveLink linkAt(long remote) {
        SleeveLink[] found = {null};
        links.forEach((peer, l) -> {
            if (l.remoteAddress() == remote) {
                found[0] = l;
            }
        });
        return found[0];
    }

    /** Sends on the calling data-plane thread's lane; see {@code Sleeve#send}. */
    public int send(Lane lane, long nextHop, long srcPeer, long dstPeer, boolean flood, Frame frame) {
        SleeveLink link = links.get(nextHop);
        if (link == null) {
            drops.count(Drop.NO_ROUTE);
            return dev.weft.sleeve.api.Sleeve.UNREACHABLE;
        }
        int r = ((DataLane) lane).send(link, srcPeer, dstPeer, flood, frame);
        return switch (r) {
            case DataLane.SENT -> dev.weft.sleeve.api.Sleeve.SENT;
            case DataLane.TOO_BIG -> dev.weft.sleeve.api.Sleeve.TOO_BIG;
            default -> dev.weft.sleeve.api.Sleeve.UNREACHABLE;
        };
    }

    /**
     * Sends a frame that came in through the generic overlay entry point ({@code
     * OverlayConnection.forward}): copied behind headroom, sealed on the foreign lane under a lock
     * and sent at once. Slower than the lanes; for other overlays' occasional frames.
     */
    public boolean sendForeign(SleeveLink link, long srcPeer, long dstPeer, ByteBuffer frame) {
        int n = frame.remaining();
        if (n < 14 || n > DatagramHeader.MAX_PLAINTEXT - 64) {
            return false;
        }
        synchronized (foreignLane) {
            foreignBuffer.put(CAPTURE_AT, frame, frame.position(), n);
            foreignFrame.set(foreignBuffer, CAPTURE_AT, n);
            foreignFrame.offload().clear();
            int r = foreignLane.send(link, srcPeer, dstPeer, dstPeer == 0, foreignFrame);
            foreignLane.flush();
            return r == DataLane.SENT;
        }
    }

    /** Writes {@code frame} into the TAP, its vnet header in the headroom. */
    public boolean inject(Frame frame) {
        ByteBuffer b = frame.buffer();
        int vh = port.vnetHeaderLength();
        int start = frame.offset() - vh;
        if (vh > 0) {
            writeVnetHeader(b, start, frame.offload());
        }
        int oldLimit = b.limit();
        int oldPosition = b.position();
        b.limit(frame.offset() + frame.length()).position(start);
        int written;
        try {
            written = port.write(b);
        } catch (RuntimeException e) {
            written = 0;
        }
        b.limit(oldLimit).position(oldPosition);
        if (written <= 0) {
            drops.count(Drop.INJECT_FAILED);
            return false;
        }
        return true;
    }

    /** Builds the ICMP answer in the lane's scratch buffer and injects it. */
    public void replyTooBig(Lane lane, Frame frame, int mtu) {
        DataLane l = (DataLane) lane;
        ByteBuffer out = l.scratch();
        int n = IcmpTooBig.write(frame, mtu, out, CAPTURE_AT);
        if (n > 0) {
            Frame icmp = l == rxLane ? receiverIcmp : (l == txLane ? txIcmp : new Frame());
            icmp.set(out, CAPTURE_AT, n);
            icmp.offload().clear();
            inject(icmp);
        }
    }

    private final Frame receiverIcmp = new Frame();
    private final Frame txIcmp = new Frame();

    static void writeVnetHeader(ByteBuffer b, int at, Offload o) {
        b.put(at, (byte) o.flags());
        b.put(at + 1, (byte) o.gsoType());
        b.putShort(at + 2, Short.reverseBytes((short) o.hdrLen()));
        b.putShort(at + 4, Short.reverseBytes((short) o.gsoSize()));
        b.putShort(at + 6, Short.reverseBytes((short) o.csumStart()));
        b.putShort(at + 8, Short.reverseBytes((short) o.csumOffset()));
    }

    static void readVnetHeader(ByteBuffer b, int at, Offload o) {
        o.set(
                b.get(at) & 0xff,
                b.get(at + 1) & 0xff,
                Short.reverseBytes(b.getShort(at + 2)) & 0xffff,
                Short.reverseBytes(b.getShort(at + 4)) & 0xffff,
                Short.reverseBytes(b.getShort(at + 6)) & 0xffff,
                Short.reverseBytes(b.getShort(at + 8)) & 0xffff);
    }

    /**
     * The capture loop: reads frames from the TAP in bursts, hands each to the handler on the TX
     * lane, flushes the lane after each burst. Returns when the TAP is closed.
     */
    public void runCapture() {
        ByteBuffer buf = ByteBuffer.allocateDirect(CAPTURE_AT + DatagramHeader.MAX_PLAINTEXT)
                .order(ByteOrder.BIG_ENDIAN);
        int vh = port.vnetHeaderLength();
        int cap = buf.capacity();
        while (!closed) {
            buf.limit(cap).position(CAPTURE_AT - vh);
            int n = port.read(buf, true);
            int burst = 0;
            while (n > 0) {
                int length = n - vh;
                if (length >= 14) {
                    if (vh > 0) {
                        readVnetHeader(buf, CAPTURE_AT - vh, captured.offload());
                    } else {
                        captured.offload().clear();
                    }
                    captured.set(buf, CAPTURE_AT, length);
                    try {
                        handler.captured(txLane, captured);
                    } catch (RuntimeException e) {
                        drops.count(Drop.LOOP);
                    }
                }
                if (++burst >= MAX_BURST) {
                    break;
                }
                buf.limit(cap).position(CAPTURE_AT - vh);
                n = port.read(buf, false);
            }
            txLane.flush();
            if (n < 0) {
                return;
            }
        }
    }

    /**
     * The receive loop: takes datagrams from the socket in batches (each receive may hold several
     * coalesced datagrams), hands each to the receiver, flushes relays after each batch. Returns
     * when the socket is closed.
     */
    public void runReceive() {
        UdpReceiveBatch rb = receiveBatch;
        while (!closed) {
            int n = socket.receive(rb, true);
            if (n < 0) {
                return;
            }
            for (int i = 0; i < n; i++) {
                if (rb.truncated(i)) {
                    drops.count(Drop.MALFORMED);
                    continue;
                }
                ByteBuffer b = rb.buffer(i);
                int off = rb.offset();
                int len = rb.length(i);
                int seg = rb.segmentSize(i);
                long from = rb.source(i);
                if (seg <= 0 || seg >= len) {
                    receiver.datagram(b, off, len, from);
                } else {
                    for (int at = 0; at < len; at += seg) {
                        receiver.datagram(b, off + at, Math.min(seg, len - at), from);
                    }
                }
            }
            rxLane.flush();
        }
    }

    public boolean isClosed() {
        return closed;
    }

    /** Makes both loops return (closing the TAP and the socket). Idempotent. */
    public void close() {
        closed = true;
        port.close();
        socket.close();
    }
}
