package dev.weft.sleeve.api;

import java.util.List;
import java.util.Map;

/**
 * What {@code weft status} shows about sleeve: an immutable snapshot.
 *
 * @param port the UDP port
 * @param tap the TAP device
 * @param offloads whether super-frames (TSO/GSO, UDP GSO/GRO) are in use
 * @param links one entry per sleeve connection
 * @param drops drops since start, by reason (only non-zero reasons)
 */
public record SleeveStatus(int port, String tap, boolean offloads, List<Link> links, Map<Drop, Long> drops) {
    /**
     * One sleeve connection.
     *
     * @param peer the neighbour's name (48 bits)
     * @param remote its UDP address, {@code ip:port}
     * @param cipher the agreed cipher
     * @param state what it waits for, or {@code established}
     * @param pathMtu the path MTU in use, bytes
     * @param frameMtu the largest IP packet carried in one datagram, bytes
     * @param rxMessages messages received
     * @param rxBytes sealed bytes received
     * @param txMessages messages sent
     * @param txBytes sealed bytes sent
     */
    public record Link(
            long peer,
            String remote,
            DataPlaneCipher cipher,
            String state,
            int pathMtu,
            int frameMtu,
            long rxMessages,
            long rxBytes,
            long txMessages,
            long txBytes) {}
}
