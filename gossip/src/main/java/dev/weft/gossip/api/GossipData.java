package dev.weft.gossip.api;

import java.util.List;

/**
 * A mergeable piece of replicated state, or an update to it (mesh's {@code GossipData}).
 *
 * <p>Ownership: once passed to {@link GossipChannel#broadcast} or {@link GossipChannel#gossip}, or
 * returned from a {@link Gossiper} callback, the object belongs to the mesh: the component must not
 * mutate it afterwards, and it must not share mutable state with the component's live state (return
 * copies or immutable snapshots). The mesh may keep it pending for a slow connection and {@link
 * #merge} newer data into it, so a slow link costs one pending value per channel, never a queue.
 *
 * <p>Both methods are called on the mesh's actor, never concurrently for one object, and must not
 * block.
 */
public interface GossipData {

    /**
     * Encodes this data as one or more independent messages; the receiving {@link Gossiper} is
     * called once per message. Each message must be at most {@link GossipChannel#MAX_MESSAGE_BYTES}
     * bytes. Returned arrays are immutable from then on, for everyone: the mesh may send the same
     * array on several connections, and the simulator hands the very same array to every receiver.
     * May be called several times (once per connection); may return cached arrays.
     */
    List<byte[]> encode();

    /**
     * Combines this with {@code other} (data of the same channel) and returns the result, which
     * must carry everything either side carried that a receiver would need (for state CRDTs: the
     * join). Must not modify {@code this} or {@code other}: the same object may be pending on
     * several connections at once. Return a new object, or one of the two unchanged when it already
     * contains the other.
     */
    GossipData merge(GossipData other);
}
