package dev.weft.sleeve.internal.engine;

import dev.weft.gossip.spi.SessionKey;
import dev.weft.sleeve.api.DataPlaneCipher;
import dev.weft.sleeve.internal.crypto.KeySchedule;
import dev.weft.sleeve.internal.crypto.MessageCipher;
import dev.weft.sleeve.internal.crypto.ReplayWindow;
import dev.weft.sleeve.internal.wire.DatagramHeader;
import dev.weft.sleeve.internal.wire.FrameRecord;
import dev.weft.sleeve.internal.wire.Reassembler;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * The data-plane state of one sleeve connection (this peer to one neighbour): keys, message
 * numbers, the replay window and reassembly of the receiving direction, the remote UDP address
 * and the datagram size path-MTU discovery settled on.
 *
 * <p>Threads: any lane seals (each with its own {@link MessageCipher}; message numbers come from
 * one atomic counter, so they never repeat); only the receiving thread opens, reassembles and
 * checks replays; the control thread writes the volatile address, size and state fields.
 */
public final class SleeveLink {
    /** IPv4 (20) and UDP (8) headers around every datagram. */
    public static final int IP_UDP_OVERHEAD = 28;
    /** The smallest path MTU we assume every IPv4 path carries (RFC 791's 576 minus slack). */
    public static final int MIN_PATH_MTU = 552;

    private final long local;
    private final long remote;
    private final long connectionUid;
    private final DataPlaneCipher cipher;
    private final MessageCipher[] sealers = new MessageCipher[DataLane.ROLES];
    private final MessageCipher opener;
    private final AtomicLong nextSeq = new AtomicLong();
    private final ReplayWindow replay = new ReplayWindow();
    private final Reassembler reassembler;

    private final ControlEvents events;
    private volatile long remoteAddress;
    private volatile int datagramPayload;
    private volatile boolean closed;

    // Counters: each written by one thread, read racily by status.
    final AtomicLong rxMessages = new AtomicLong();
    final AtomicLong rxBytes = new AtomicLong();
    final AtomicLong txMessages = new AtomicLong();
    final AtomicLong txBytes = new AtomicLong();

    /**
     * @param sessionKey the connection's session key; ignored (may be null) for {@code NONE}
     * @param pathMtu the path MTU to start with, in bytes (from the route; discovery refines it)
     */
    public SleeveLink(
            long local,
            long remote,
            long connectionUid,
            DataPlaneCipher cipher,
            SessionKey sessionKey,
            long remoteAddress,
            int pathMtu,
            IntFunction<ByteBuffer> reassemblyBuffers,
            ControlEvents events) {
        this.events = events;
        this.local = local;
        this.remote = remote;
        this.connectionUid = connectionUid;
        this.cipher = cipher;
        this.remoteAddress = remoteAddress;
        setPathMtu(pathMtu);
        this.reassembler = new Reassembler(4, reassemblyBuffers);
        if (cipher.encrypts()) {
            byte[] tx = KeySchedule.directionKey(sessionKey, cipher, local, remote, connectionUid);
            byte[] rx = KeySchedule.directionKey(sessionKey, cipher, remote, local, connectionUid);
            for (int i = 0; i < sealers.length; i++) {
                sealers[i] = MessageCipher.sealer(cipher, tx);
            }
            opener = MessageCipher.opener(cipher, rx);
            Arrays.fill(tx, (byte) 0);
            Arrays.fill(rx, (byte) 0);
        } else {
            opener = null;
        }
    }

    public long local() {
        return local;
    }

    public long remote() {
        return remote;
    }

    public long connectionUid() {
        return connectionUid;
    }

    public DataPlaneCipher cipher() {
        return cipher;
    }

    /** How many message numbers were used so far. */
    public long messagesSealed() {
        return nextSeq.get();
    }

    /** The next message number to seal with; never repeats for this link. */
    long nextSeq() {
        return nextSeq.getAndIncrement();
    }

    MessageCipher sealer(int role) {
        return sealers[role];
    }

    MessageCipher opener() {
        return opener;
    }

    /** Where the receiving thread reports this link's heartbeats and probes. */
    ControlEvents events() {
        return events;
    }

    ReplayWindow replay() {
        return replay;
    }

    Reassembler reassembler() {
        return reassembler;
    }

    /** The neighbour's UDP address ({@link UdpAddress}), or 0 while unknown. */
    public long remoteAddress() {
        return remoteAddress;
    }

    /** Sets the neighbour's UDP address (control thread, or the receiver after an authentic heartbeat). */
    public void remoteAddress(long address) {
        this.remoteAddress = address;
    }

    /** The largest UDP payload of one datagram, in bytes: path MTU minus IP and UDP headers. */
    public int datagramPayload() {
        return datagramPayload;
    }

    /** Adopts a path MTU in bytes (clamped to [552, 65535]). */
    public void setPathMtu(int pathMtu) {
        int mtu = Math.max(MIN_PATH_MTU, Math.min(65_535, pathMtu));
        // Keep fragments 8-byte aligned: the payload after the 24-byte header is a multiple of 8.
        int fragment = (mtu - IP_UDP_OVERHEAD - DatagramHeader.LENGTH) & ~(DatagramHeader.FRAGMENT_ALIGN - 1);
        this.datagramPayload = DatagramHeader.LENGTH + fragment;
    }

    /** The path MTU currently assumed, in bytes. */
    public int pathMtu() {
        return datagramPayload + IP_UDP_OVERHEAD;
    }

    /**
     * The largest IP packet a frame may carry and still travel in one datagram: what pods should
     * use as their MTU on this connection, and the limit for don't-fragment frames.
     */
    public int frameMtu() {
        return datagramPayload - DatagramHeader.LENGTH - cipher.tagBytes() - FrameRecord.MAX_HEADER - 14;
    }

    /** The largest plaintext message that still fits one datagram. */
    int bundleLimit() {
        return datagramPayload - DatagramHeader.LENGTH - cipher.tagBytes();
    }

    public boolean isClosed() {
        return closed;
    }

    public void close() {
        closed = true;
    }

    public long rxMessages() {
        return rxMessages.get();
    }

    public long rxBytes() {
        return rxBytes.get();
    }

    public long txMessages() {
        return txMessages.get();
    }

    public long txBytes() {
        return txBytes.get();
    }

    @Override
    public String toString() {
        return "SleeveLink[" + Long.toHexString(local) + "->" + Long.toHexString(remote) + " " + cipher.displayName()
                + " " + UdpAddress.toString(remoteAddress) + " pmtu=" + pathMtu() + "]";
    }
}
