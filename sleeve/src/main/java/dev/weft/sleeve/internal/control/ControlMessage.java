package dev.weft.sleeve.internal.control;

import java.nio.ByteBuffer;

/**
 * The sleeve's control messages, carried over the connection's TCP channel (encrypted there
 * whenever the connection is) through the mesh's overlay control sender. Version 1, big-endian:
 *
 * <pre>
 * 0  u8   version (1)
 * 1  u8   type: 1 heartbeat ack, 2 path-MTU probe ack
 * 2  ..   heartbeat ack: u64 connection UID (10 bytes in all)
 *         probe ack:     u16 the probe datagram's UDP payload length (4 bytes in all)
 * </pre>
 *
 * Anything else (other versions, types, lengths) is rejected. Immutable; thread-safe.
 *
 * @param type {@link #HEARTBEAT_ACK} or {@link #PROBE_ACK}
 * @param value the connection UID, or the probe's datagram length
 */
public record ControlMessage(int type, long value) {
    public static final int VERSION = 1;
    public static final int HEARTBEAT_ACK = 1;
    public static final int PROBE_ACK = 2;

    public static ControlMessage heartbeatAck(long connectionUid) {
        return new ControlMessage(HEARTBEAT_ACK, connectionUid);
    }

    public static ControlMessage probeAck(int datagramLength) {
        if (datagramLength < 0 || datagramLength > 0xffff) {
            throw new IllegalArgumentException("datagram length " + datagramLength);
        }
        return new ControlMessage(PROBE_ACK, datagramLength);
    }

    /** The encoded message, a fresh array. */
    public byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(type == HEARTBEAT_ACK ? 10 : 4);
        b.put((byte) VERSION).put((byte) type);
        if (type == HEARTBEAT_ACK) {
            b.putLong(value);
        } else {
            b.putShort((short) value);
        }
        return b.array();
    }

    /**
     * Decodes {@code bytes}.
     *
     * @throws IllegalArgumentException naming what is wrong, for anything but a valid message
     */
    public static ControlMessage decode(byte[] bytes) {
        if (bytes.length < 2) {
            throw new IllegalArgumentException("sleeve control message truncated: " + bytes.length + " bytes");
        }
        if ((bytes[0] & 0xff) != VERSION) {
            throw new IllegalArgumentException("sleeve control message version " + (bytes[0] & 0xff) + " unsupported");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        int type = bytes[1] & 0xff;
        return switch (type) {
            case HEARTBEAT_ACK -> {
                expect(bytes, 10, "heartbeat ack");
                yield new ControlMessage(type, b.getLong(2));
            }
            case PROBE_ACK -> {
                expect(bytes, 4, "probe ack");
                yield new ControlMessage(type, b.getShort(2) & 0xffff);
            }
            default -> throw new IllegalArgumentException("sleeve control message type " + type + " unknown");
        };
    }

    private static void expect(byte[] bytes, int length, String what) {
        if (bytes.length != length) {
            throw new IllegalArgumentException("sleeve " + what + " must be " + length + " bytes, got " + bytes.length);
        }
    }
}
