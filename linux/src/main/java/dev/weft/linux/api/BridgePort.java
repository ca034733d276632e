package dev.weft.linux.api;

/**
 * A bridge port's settings as the kernel reported them ({@code bridge -d link show}).
 *
 * @param index the port's interface index
 * @param name the port's interface name
 * @param masterIndex the bridge it belongs to
 * @param learning the bridge learns source MACs of frames entering through this port
 * @param unicastFlood unknown unicast is flooded out of this port
 * @param multicastFlood unregistered multicast is flooded out of this port
 * @param broadcastFlood broadcast is flooded out of this port
 * @param isolated frames never pass between this port and another isolated port of the bridge
 */
public record BridgePort(
        int index,
        String name,
        int masterIndex,
        boolean learning,
        boolean unicastFlood,
        boolean multicastFlood,
        boolean broadcastFlood,
        boolean isolated) {}
