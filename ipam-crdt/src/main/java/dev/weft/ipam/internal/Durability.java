package dev.weft.ipam.internal;

import java.util.function.Consumer;

/**
 * Makes allocator state durable. The allocator hands over one {@link StoreBatch} per turn with two
 * callbacks; {@code onDurable} runs once the batch (and every batch before it) is on disk, in
 * submission order. Until then, nothing that depends on the batch leaves the process: no
 * acknowledgement, no gossip. If the store fails, {@code onFailure} runs instead (with a sentence
 * saying what failed) for this and every later batch.
 *
 * <p>{@link #submit} is called on the actor thread and must not block; the callbacks may run on any
 * thread and must be quick.
 */
public interface Durability {

    /** Queues {@code batch} (possibly empty: then only orders {@code onDurable} after earlier batches). */
    void submit(StoreBatch batch, Runnable onDurable, Consumer<String> onFailure);

    /** The store's failure, if it failed (then the allocator stops serving); else null. Any thread. */
    default String failure() {
        return null;
    }
}
