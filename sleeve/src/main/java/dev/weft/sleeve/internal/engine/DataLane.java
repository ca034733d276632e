package dev.weft.sleeve.internal.engine;

import dev.weft.sleeve.api.Drop;
import dev.weft.sleeve.api.Frame;
import dev.weft.sleeve.api.Lane;
import dev.weft.sleeve.internal.crypto.MessageCipher;
import dev.weft.sleeve.internal.wire.DatagramHeader;
import dev.weft.sleeve.internal.wire.FrameRecord;
import java.nio.ByteBuffer;
import java.util.function.IntFunction;

/**
 * The sending half of one data-plane thread: bundles small frames for the same neighbour into
 * one message, seals messages (big frames straight from where they were read, without a copy),
 * and queues them on its {@link DatagramSink} until the thread's burst ends.
 *
 * <p>Owned by one thread. Nothing is allocated per frame or per message (the JDK cipher aside,
 * see {@link MessageCipher}).
 */
public final class DataLane implements Lane {
    public static final int TX = 0;
    public static final int RX = 1;
    public static final int CONTROL = 2;
    /** Frames handed in through the generic overlay entry point, from any thread (under a lock). */
    public static final int FOREIGN = 3;

    public static final int ROLES = 4;

    /** {@link #send} results. */
    public static final int SENT = 0;

    public static final int TOO_BIG = 1;
    public static final int NO_ADDRESS = 2;
    public static final int CLOSED = 3;

    private final int role;
    private final String name;
    private final DatagramSink sink;
    private final DropCounters drops;
    private final ByteBuffer[] sealed;
    private int sealedUsed;
    private final ByteBuffer aad = ByteBuffer.allocate(DatagramHeader.AAD_LENGTH);
    private final ByteBuffer bundle;
    private SleeveLink bundleLink;
    private int bundleEnd;
    private final ByteBuffer scratch;

    /**
     * @param role {@link #TX}, {@link #RX}, {@link #CONTROL} or {@link #FOREIGN}: which sealer of
     *     each link it uses
     * @param messagesPerBurst sealed messages it can hold before it must flush
     * @param buffers allocates big-endian buffers (direct ones for the kernel)
     */
    public DataLane(
            int role, DatagramSink sink, DropCounters drops, int messagesPerBurst, IntFunction<ByteBuffer> buffers) {
        if (role < 0 || role >= ROLES) {
            throw new IllegalArgumentException("role " + role);
        }
        this.role = role;
        this.name = switch (role) {
            case TX -> "tx";
            case RX -> "rx";
            case CONTROL -> "control";
            default -> "foreign";
        };
        this.sink = sink;
        this.drops = drops;
        this.sealed = new ByteBuffer[messagesPerBurst];
        for (int i = 0; i < sealed.length; i++) {
            sealed[i] = buffers.apply(DatagramHeader.MAX_SEALED);
        }
        this.bundle = buffers.apply(DatagramHeader.MAX_PLAINTEXT);
        this.scratch = buffers.apply(2048);
    }

    /** A 2 KiB buffer this lane's thread may use for frames it builds (ICMP answers). */
    public ByteBuffer scratch() {
        return scratch;
    }

    @Override
    public String name() {
        return name;
    }

    /**
     * Queues {@code frame} for {@code link}. Frames too big for the link's MTU with the IPv4
     * don't-fragment bit set are refused with {@link #TOO_BIG} (the caller answers with ICMP);
     * other big frames are carried whole, cut into fragments. Uses the frame's headroom.
     *
     * @return {@link #SENT}, {@link #TOO_BIG}, {@link #NO_ADDRESS} or {@link #CLOSED}
     */
    public int send(SleeveLink link, long srcPeer, long dstPeer, boolean flood, Frame frame) {
        if (link.isClosed()) {
            return CLOSED;
        }
        if (link.remoteAddress() == UdpAddress.UNKNOWN) {
            drops.count(Drop.NO_ADDRESS);
            return NO_ADDRESS;
        }
        if (frame.isIpv4() && frame.ipv4DontFragment() && frame.largestIpPacket() > link.frameMtu()) {
            drops.count(Drop.TOO_BIG);
            return TOO_BIG;
        }
        int header = FrameRecord.headerLength(frame.offload());
        int record = header + frame.length();
        int limit = link.bundleLimit();
        if (record > limit / 2) {
            // Big: seal it where it lies, behind its record header written into the headroom.
            flushBundle();
            ByteBuffer b = frame.buffer();
            int start = frame.offset() - header;
            FrameRecord.writeHeader(b, start, srcPeer, dstPeer, flood, frame.length(), frame.offload());
            seal(link, DatagramHeader.KIND_DATA, b, start, frame.offset() + frame.length(), link.datagramPayload());
            return SENT;
        }
        if (bundleLink != link || bundleEnd + record > limit) {
            flushBundle();
            bundleLink = link;
            bundleEnd = 0;
        }
        int at = bundleEnd;
        FrameRecord.writeHeader(bundle, at, srcPeer, dstPeer, flood, frame.length(), frame.offload());
        bundle.put(at + header, frame.buffer(), frame.offset(), frame.length());
        bundleEnd = at + record;
        return SENT;
    }

    /**
     * Seals and queues a heartbeat or probe whose plaintext is {@code plain[from, to)}, as one
     * datagram of at most {@code datagramPayload} bytes, and sends it now.
     */
    public void sendControl(SleeveLink link, int kind, ByteBuffer plain, int from, int to, int datagramPayload) {
        flushBundle();
        seal(link, kind, plain, from, to, datagramPayload);
        flush();
    }

    /** Sends everything queued. Call at the end of every burst. */
    public void flush() {
        flushBundle();
        if (sealedUsed > 0) {
            sink.flush();
            sealedUsed = 0;
        }
    }

    private void flushBundle() {
        SleeveLink link = bundleLink;
        if (link == null) {
            return;
        }
        bundleLink = null;
        if (bundleEnd > 0 && !link.isClosed()) {
            seal(link, DatagramHeader.KIND_DATA, bundle, 0, bundleEnd, link.datagramPayload());
        }
        bundleEnd = 0;
    }

    private void seal(SleeveLink link, int kind, ByteBuffer plain, int from, int to, int datagramPayload) {
        if (sealedUsed == sealed.length) {
            sink.flush();
            sealedUsed = 0;
        }
        ByteBuffer out = sealed[sealedUsed];
        long seq = link.nextSeq();
        int cipherId = link.cipher().wireId();
        int length = to - from;
        int sealedLength = length + link.cipher().tagBytes();
        if (link.cipher().encrypts()) {
            DatagramHeader.writeAad(aad, kind, cipherId, link.local(), sealedLength, seq);
            aad.clear();
            int oldLimit = plain.limit();
            int oldPosition = plain.position();
            plain.limit(to).position(from);
            out.clear();
            link.sealer(role).seal(plain, out, aad, seq);
            plain.limit(oldLimit).position(oldPosition);
        } else {
            out.put(0, plain, from, length);
        }
        while (!sink.queue(
                link.remoteAddress(), kind, cipherId, link.local(), seq, out, 0, sealedLength, datagramPayload)) {
            // The sink's batch is full: send it (our sealed buffers stay valid) and queue again.
            int keep = sealedUsed;
            sink.flush();
            if (keep == 0) {
                throw new IllegalStateException("sink refuses a message into an empty batch");
            }
            // Everything before this buffer is sent; move it to the front of the pool.
            sealed[sealedUsed] = sealed[0];
            sealed[0] = out;
            sealedUsed = 0;
        }
        sealedUsed++;
        link.txMessages.incrementAndGet();
        link.txBytes.addAndGet(sealedLength);
    }
}
