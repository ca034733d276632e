package dev.weft.sleeve.internal.engine;

/**
 * What the receiving thread reports to the control side: authentic heartbeats and path-MTU
 * probes. Implementations hand the event to the control thread and return at once.
 */
public interface ControlEvents {
    /** An authentic heartbeat for {@code link} arrived from {@code from} ({@link UdpAddress}). */
    void heartbeat(SleeveLink link, long from);

    /** An authentic probe datagram of {@code datagramLength} UDP payload bytes arrived. */
    void probe(SleeveLink link, int datagramLength);
}
