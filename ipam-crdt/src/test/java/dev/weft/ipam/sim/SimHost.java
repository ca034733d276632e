package dev.weft.ipam.sim;

import dev.weft.gossip.api.PeerName;
import dev.weft.ipam.api.IpamConfig;
import dev.weft.ipam.internal.IpamNode;
import dev.weft.ipam.internal.Ring;

/**
 * One simulated router's IPAM across incarnations, on either simulated network: its disk survives
 * crashes (unless wiped), each restart is a new incarnation with a new {@link IpamNode}. Single
 * threaded: everything runs on the simulation's thread in virtual time.
 */
abstract class SimHost {
    final PeerName name;
    final MemoryStore store;
    /** The IPAM of the current incarnation. */
    IpamNode node;

    boolean alive;
    /** Increases with every boot. */
    int incarnation;

    SimHost(PeerName name, IpamConfig config) {
        this.name = name;
        this.store = new MemoryStore(
                name, Ring.empty(config.range().start(), config.range().end()));
    }

    /**
     * The host is dead: the writes its disk had not made durable are gone, and with {@code loseStore}
     * the whole disk. Killing the host's actors is the caller's part (it depends on the network).
     */
    final void die(boolean loseStore) {
        alive = false;
        store.crash();
        if (loseStore) {
            store.wipe();
        }
    }
}
