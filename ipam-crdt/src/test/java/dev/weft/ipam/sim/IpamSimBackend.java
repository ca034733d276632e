package dev.weft.ipam.sim;

import dev.weft.gossip.api.PeerName;
import dev.weft.ipam.internal.IpamNode;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.function.BooleanSupplier;

/**
 * What {@link ClusterSimulation} needs from a simulated cluster of IPAM peers: the gossip testkit's
 * mesh simulator ({@link MeshSimCluster}, real mesh peers) or the lightweight direct network
 * ({@link SimCluster}). Everything runs on the calling thread in virtual time.
 */
interface IpamSimBackend {

    List<PeerName> names();

    /** The peer's host, across incarnations. */
    SimHost host(PeerName p);

    default boolean alive(PeerName p) {
        return host(p).alive;
    }

    /** The IPAM of the peer's current incarnation. */
    default IpamNode node(PeerName p) {
        return host(p).node;
    }

    /** Increases with every restart of the peer. */
    default int incarnation(PeerName p) {
        return host(p).incarnation;
    }

    /** The host dies (kill -9); with {@code loseStore} its disk is gone too. */
    void crash(PeerName p, boolean loseStore);

    /** Starts the peer again (with whatever its store holds). */
    void restart(PeerName p);

    /** Splits the live peers into {@code groups} random partitions. */
    void partition(int groups);

    void heal();

    void advance(Duration d);

    boolean advanceUntil(BooleanSupplier done, Duration step, Duration max);

    long nowNanos();

    Random random();
}
