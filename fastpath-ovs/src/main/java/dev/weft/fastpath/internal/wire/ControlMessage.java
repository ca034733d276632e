package dev.weft.fastpath.internal.wire;

import java.nio.ByteBuffer;

/**
 * A fast-path control message, sent over the mesh connection's overlay control channel (TCP,
 * encrypted when the connection is). Version 1, big-endian, exactly 18 bytes:
 *
 * <pre>
 *  0  version 1 (1)
 *  1  type (1)             1 = heartbeat acknowledgement
 *  2  connection UID (8)
 * 10  value (8)            for an acknowledgement: the heartbeat's sequence
 * </pre>
 *
 * @param type the message type
 * @param connectionUid the connection it belongs to
 * @param value the type's value
 */
public record ControlMessage(int type, long connectionUid, long value) {
    public static final int VERSION = 1;
    public static final int LENGTH = 18;
    public static final int HEARTBEAT_ACK = 1;

    /** Acknowledges the heartbeat with {@code sequence}. */
    public static ControlMessage heartbeatAck(long connectionUid, long sequence) {
        return new ControlMessage(HEARTBEAT_ACK, connectionUid, sequence);
    }

    /** A fresh array the caller owns. */
    public byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(LENGTH);
        b.put((byte) VERSION).put((byte) type).putLong(connectionUid).putLong(value);
        return b.array();
    }

    /**
     * Decodes a control message.
     *
     * @throws IllegalArgumentException naming what is wrong: length, version or type
     */
    public static ControlMessage decode(byte[] message) {
        if (message == null || message.length != LENGTH) {
            throw new IllegalArgumentException("fast-path control message must be " + LENGTH + " bytes, got "
                    + (message == null ? "none" : message.length));
        }
        ByteBuffer b = ByteBuffer.wrap(message);
        int version = b.get() & 0xff;
        if (version != VERSION) {
            throw new IllegalArgumentException("unknown fast-path control version " + version);
        }
        int type = b.get() & 0xff;
        if (type != HEARTBEAT_ACK) {
            throw new IllegalArgumentException("unknown fast-path control message type " + type);
        }
        return new ControlMessage(type, b.getLong(), b.getLong());
    }
}
