package dev.weft.sleeve.api;

/**
 * The sending context of one data-plane thread: its scratch buffers, the frames it is bundling
 * and the datagrams it is batching. Every call that sends takes the caller's lane; a lane is used
 * only by the thread that owns it, so the hot path needs no locks. Frames queued on a lane leave
 * when the thread finishes its current burst (or the batch fills up).
 */
public interface Lane {
    /** A name for logs: "tx", "rx" or "control". */
    String name();
}
