package dev.weft.sleeve.api;

/** Why the data plane dropped a datagram or a frame. Each reason has its own counter. */
public enum Drop {
    /** Shorter than a header, or bad version, kind, lengths or fragment offsets. */
    MALFORMED("malformed datagram"),
    /** The datagram names a sender we have no sleeve connection with. */
    UNKNOWN_SENDER("unknown sender"),
    /** From an address other than the one the sender's connection uses. */
    WRONG_SOURCE("wrong source address"),
    /** Sealed with another cipher than the connection agreed. */
    WRONG_CIPHER("wrong cipher"),
    /** A sequence number already seen, or older than the replay window. */
    REPLAYED("replayed or too old"),
    /** Failed authentication (wrong key, tampered, or stale from an older connection). */
    NOT_AUTHENTIC("failed authentication"),
    /** A fragment that overlaps another or disagrees with its message's length. */
    BAD_FRAGMENT("bad fragment"),
    /** A half-reassembled message pushed out by newer ones. */
    REASSEMBLY_EVICTED("reassembly evicted"),
    /** An authentic message whose frame records do not parse. */
    BAD_RECORD("bad frame record"),
    /** A heartbeat or probe for another connection incarnation. */
    BAD_CONTROL("bad heartbeat or probe"),
    /** A frame larger than the connection's MTU with don't-fragment set (answered with ICMP). */
    TOO_BIG("frame too big (ICMP sent)"),
    /** A frame for a peer we have no route to. */
    NO_ROUTE("no route to peer"),
    /** A frame for a connection whose UDP address is not known yet. */
    NO_ADDRESS("peer address unknown"),
    /** The kernel refused to send a datagram. */
    SEND_FAILED("send failed"),
    /** The kernel refused a frame written to the TAP device. */
    INJECT_FAILED("inject failed"),
    /** Our own frame coming back (a MAC learnt at another peer), or a spanning-tree frame. */
    LOOP("loop or STP"),
    /** A frame whose destination is on this node's bridge already. */
    LOCAL("destination is local");

    private final String description;

    Drop(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
