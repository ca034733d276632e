package dev.weft.sleeve.internal.engine;

import dev.weft.sleeve.internal.wire.DatagramHeader;

/** How a sealed message is cut into datagrams. Stateless. */
public final class Fragments {
    private Fragments() {}

    /**
     * The fragment length for datagrams of at most {@code datagramPayload} UDP payload bytes: the
     * room after the header, rounded down to the fragment alignment (a message that fits one
     * datagram whole is not cut, so its length needs no alignment).
     */
    public static int fragmentLength(int sealedLength, int datagramPayload) {
        int room = datagramPayload - DatagramHeader.LENGTH;
        if (sealedLength <= room) {
            return sealedLength;
        }
        return room & ~(DatagramHeader.FRAGMENT_ALIGN - 1);
    }

    /** The number of datagrams a message of {@code sealedLength} bytes takes. */
    public static int count(int sealedLength, int datagramPayload) {
        int f = fragmentLength(sealedLength, datagramPayload);
        return (sealedLength + f - 1) / f;
    }
}
