package dev.weft.sleeve.internal.engine;

import dev.weft.sleeve.internal.wire.DatagramHeader;
import java.nio.ByteBuffer;

/**
 * Builds the plaintext of heartbeat and path-MTU probe messages and sends them on a lane.
 *
 * <pre>
 * heartbeat: u64 connection UID
 * probe:     u64 connection UID, u16 the datagram's UDP payload length, zeros to fill it
 * </pre>
 *
 * Owned by the control thread (it has its own lane).
 */
public final class Heartbeats {
    public static final int HEARTBEAT_LENGTH = 8;
    public static final int PROBE_MIN_LENGTH = 10;

    private final DataLane lane;
    private final ByteBuffer scratch;

    public Heartbeats(DataLane lane, ByteBuffer scratch) {
        if (scratch.capacity() < DatagramHeader.MAX_SEALED) {
            throw new IllegalArgumentException("scratch buffer too small");
        }
        this.lane = lane;
        this.scratch = scratch;
    }

    /** Seals and sends one heartbeat to {@code link}'s remote address. */
    public void sendHeartbeat(SleeveLink link) {
        if (link.remoteAddress() == UdpAddress.UNKNOWN || link.isClosed()) {
            return;
        }
        scratch.putLong(0, link.connectionUid());
        lane.sendControl(link, DatagramHeader.KIND_HEARTBEAT, scratch, 0, HEARTBEAT_LENGTH, link.datagramPayload());
    }

    /**
     * Seals and sends one probe whose datagram carries exactly {@code datagramLength} UDP payload
     * bytes (so its IP packet is {@code datagramLength + 28} bytes, sent don't-fragment).
     */
    public void sendProbe(SleeveLink link, int datagramLength) {
        if (link.remoteAddress() == UdpAddress.UNKNOWN || link.isClosed()) {
            return;
        }
        int plain = datagramLength - DatagramHeader.LENGTH - link.cipher().tagBytes();
        if (plain < PROBE_MIN_LENGTH || datagramLength > 65_507) {
            throw new IllegalArgumentException("probe size out of range: " + datagramLength);
        }
        for (int i = 0; i < plain; i += 8) {
            scratch.putLong(i, 0);
        }
        scratch.putLong(0, link.connectionUid());
        scratch.putShort(8, (short) datagramLength);
        lane.sendControl(link, DatagramHeader.KIND_PMTU_PROBE, scratch, 0, plain, datagramLength);
    }
}
