package dev.weft.gossip.internal.wire;

/** Protocol constants shared by the transports (docs/protocol.md). */
public final class Protocol {

    private static final byte[] MAGIC = {'w', 'e', 'f', 't'};

    /** Length of the handshake magic. */
    public static final int MAGIC_LENGTH = MAGIC.length;

    /** Byte {@code i} of the handshake magic, ASCII {@code weft}. */
    public static byte magic(int i) {
        return MAGIC[i];
    }

    /** Lowest protocol version this code speaks. */
    public static final int MIN_VERSION = 1;

    /** Highest protocol version this code speaks. */
    public static final int MAX_VERSION = 1;

    private Protocol() {}
}
