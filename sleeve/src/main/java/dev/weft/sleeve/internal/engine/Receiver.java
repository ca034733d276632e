package dev.weft.sleeve.internal.engine;

import dev.weft.sleeve.api.Drop;
import dev.weft.sleeve.api.Frame;
import dev.weft.sleeve.api.PeerMap;
import dev.weft.sleeve.internal.crypto.MessageCipher;
import dev.weft.sleeve.internal.wire.DatagramHeader;
import dev.weft.sleeve.internal.wire.FrameRecord;
import dev.weft.sleeve.internal.wire.Malformed;
import dev.weft.sleeve.internal.wire.Reassembler;
import dev.weft.sleeve.spi.FrameHandler;
import java.nio.ByteBuffer;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * The receiving half of the data plane: checks each datagram, finds its connection, reassembles,
 * authenticates and opens the message, checks the replay window, and hands frames to the
 * {@link FrameHandler} (heartbeats and probes go to the link's {@link ControlEvents}). Every rejected
 * datagram is counted by reason and otherwise ignored.
 *
 * <p>Owned by the receiving thread. Allocates nothing per datagram.
 */
public final class Receiver {
    /** Where the plaintext starts in the open buffer: frames always get their headroom. */
    static final int PLAIN_START = Frame.HEADROOM;

    private final Supplier<PeerMap<SleeveLink>> links;
    private final DataLane lane;
    private final FrameHandler handler;
    private final DropCounters drops;
    private final ByteBuffer plain;
    private final ByteBuffer plainOut;
    private final ByteBuffer aad = ByteBuffer.allocate(DatagramHeader.AAD_LENGTH);
    private final FrameRecord.Parsed record = new FrameRecord.Parsed();
    private final Frame frame = new Frame();

    public Receiver(
            Supplier<PeerMap<SleeveLink>> links,
            DataLane lane,
            FrameHandler handler,
            DropCounters drops,
            IntFunction<ByteBuffer> buffers) {
        this.links = links;
        this.lane = lane;
        this.handler = handler;
        this.drops = drops;
        this.plain = buffers.apply(PLAIN_START + DatagramHeader.MAX_SEALED);
        this.plainOut = plain.duplicate();
    }

    /** The lane relayed frames are sent on; flush it after each burst of datagrams. */
    public DataLane lane() {
        return lane;
    }

    /**
     * Processes one datagram {@code buf[offset, offset + length)} that came from {@code from}
     * ({@link UdpAddress}). The buffer's bytes may be overwritten.
     */
    public void datagram(ByteBuffer buf, int offset, int length, long from) {
        if (DatagramHeader.check(buf, offset, length) != Malformed.NONE) {
            drops.count(Drop.MALFORMED);
            return;
        }
        SleeveLink link = links.get().get(DatagramHeader.sender(buf, offset));
        if (link == null || link.isClosed()) {
            drops.count(Drop.UNKNOWN_SENDER);
            return;
        }
        int kind = DatagramHeader.kind(buf, offset);
        if (DatagramHeader.cipher(buf, offset) != link.cipher().wireId()) {
            drops.count(Drop.WRONG_CIPHER);
            return;
        }
        // Data must come from where the connection points; only an authentic heartbeat may
        // move it (NAT rebinding), checked after opening.
        if (from != link.remoteAddress() && kind != DatagramHeader.KIND_HEARTBEAT) {
            drops.count(Drop.WRONG_SOURCE);
            return;
        }
        long seq = DatagramHeader.seq(buf, offset);
        if (link.cipher().encrypts() && !link.replay().mayAccept(seq)) {
            drops.count(Drop.REPLAYED);
            return;
        }
        int sealedLength = DatagramHeader.sealedLength(buf, offset);
        int fragmentOffset = DatagramHeader.fragmentOffset(buf, offset);
        int fragmentLength = length - DatagramHeader.LENGTH;
        int dataStart = offset + DatagramHeader.LENGTH;
        if (fragmentOffset == 0 && fragmentLength == sealedLength) {
            open(link, kind, seq, buf, dataStart, sealedLength, length, from);
            return;
        }
        Reassembler r = link.reassembler();
        long evicted = r.evictions();
        int slot = r.accept(seq, sealedLength, fragmentOffset, buf, dataStart, fragmentLength);
        if (r.evictions() != evicted) {
            drops.count(Drop.REASSEMBLY_EVICTED);
        }
        if (slot == Reassembler.REJECTED) {
            drops.count(Drop.BAD_FRAGMENT);
        } else if (slot >= 0) {
            try {
                open(link, kind, seq, r.buffer(slot), 0, sealedLength, length, from);
            } finally {
                r.release(slot);
            }
        }
    }

    private void open(
            SleeveLink link,
            int kind,
            long seq,
            ByteBuffer src,
            int from,
            int sealedLength,
            int datagramLength,
            long sourceAddress) {
        int plainLength;
        MessageCipher opener = link.opener();
        if (opener != null) {
            DatagramHeader.writeAad(aad, kind, link.cipher().wireId(), link.remote(), sealedLength, seq);
            aad.clear();
            ByteBuffer view = src;
            int oldLimit = view.limit();
            int oldPosition = view.position();
            view.limit(from + sealedLength).position(from);
            plainOut.clear().position(PLAIN_START);
            plainLength = opener.open(view, plainOut, aad, seq);
            view.limit(oldLimit).position(oldPosition);
            if (plainLength < 0) {
                drops.count(Drop.NOT_AUTHENTIC);
                return;
            }
            if (!link.replay().accept(seq)) {
                drops.count(Drop.REPLAYED);
                return;
            }
        } else {
            plainLength = sealedLength;
            plain.put(PLAIN_START, src, from, sealedLength);
        }
        // Only this thread writes them: a plain ordered store is enough (no atomic read-modify-write).
        link.rxMessages.lazySet(link.rxMessages.get() + 1);
        link.rxBytes.lazySet(link.rxBytes.get() + sealedLength);
        int end = PLAIN_START + plainLength;
        switch (kind) {
            case DatagramHeader.KIND_DATA -> frames(link, end);
            case DatagramHeader.KIND_HEARTBEAT -> heartbeat(link, plainLength, sourceAddress);
            case DatagramHeader.KIND_PMTU_PROBE -> probe(link, plainLength, datagramLength);
            default -> drops.count(Drop.MALFORMED);
        }
    }

    private void frames(SleeveLink link, int end) {
        int at = PLAIN_START;
        while (at < end) {
            Malformed m = FrameRecord.read(plain, at, end, record);
            if (m != Malformed.NONE) {
                drops.count(Drop.BAD_RECORD);
                return;
            }
            frame.set(plain, record.frameOffset, record.frameLength);
            frame.offload().copyFrom(record.offload);
            handler.received(lane, link.remote(), record.src, record.dst, record.flood, frame);
            at = record.next;
        }
    }

    private void heartbeat(SleeveLink link, int plainLength, long from) {
        if (plainLength != Heartbeats.HEARTBEAT_LENGTH || plain.getLong(PLAIN_START) != link.connectionUid()) {
            drops.count(Drop.BAD_CONTROL);
            return;
        }
        link.events().heartbeat(link, from);
    }

    private void probe(SleeveLink link, int plainLength, int datagramLength) {
        if (plainLength < Heartbeats.PROBE_MIN_LENGTH
                || plain.getLong(PLAIN_START) != link.connectionUid()
                || (plain.getShort(PLAIN_START + 8) & 0xffff) != datagramLength) {
            drops.count(Drop.BAD_CONTROL);
            return;
        }
        link.events().probe(link, datagramLength);
    }
}
