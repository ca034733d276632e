package dev.weft.ipam.internal;

import java.util.List;

/**
 * What one allocator turn changed, to be made durable in one transaction (several batches may share
 * a transaction: group commit).
 *
 * @param ring the ring to store, or null if unchanged
 * @param ownership ownership changes, in order
 * @param paxos this node's Paxos claims to store, or null if unchanged
 */
public record StoreBatch(Ring ring, List<OwnershipChange> ownership, NodeClaims paxos) {

    public StoreBatch {
        ownership = List.copyOf(ownership);
    }

    public boolean isEmpty() {
        return ring == null && ownership.isEmpty() && paxos == null;
    }
}
