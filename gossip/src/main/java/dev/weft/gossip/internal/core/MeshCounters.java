package dev.weft.gossip.internal.core;

import java.util.concurrent.atomic.AtomicLong;

/** Message and byte counters of one mesh peer (for benchmarks and metrics). Thread-safe. */
public final class MeshCounters {

    private final AtomicLong messagesSent = new AtomicLong();
    private final AtomicLong bytesSent = new AtomicLong();
    private final AtomicLong messagesReceived = new AtomicLong();
    private final AtomicLong connectionsAdded = new AtomicLong();
    private final AtomicLong connectionsTerminated = new AtomicLong();
    private final AtomicLong refusedForLimit = new AtomicLong();
    private final AtomicLong recordsAnnounced = new AtomicLong();

    void sent(int payloadBytes) {
        messagesSent.incrementAndGet();
        bytesSent.addAndGet(payloadBytes);
    }

    void received() {
        messagesReceived.incrementAndGet();
    }

    void connectionAdded() {
        connectionsAdded.incrementAndGet();
    }

    void connectionTerminated() {
        connectionsTerminated.incrementAndGet();
    }

    void countRefusedForLimit() {
        refusedForLimit.incrementAndGet();
    }

    void countRecordAnnounced() {
        recordsAnnounced.incrementAndGet();
    }

    public long messagesSent() {
        return messagesSent.get();
    }

    public long bytesSent() {
        return bytesSent.get();
    }

    public long messagesReceived() {
        return messagesReceived.get();
    }

    public long connectionsAdded() {
        return connectionsAdded.get();
    }

    public long connectionsTerminated() {
        return connectionsTerminated.get();
    }

    /** Connections this peer refused because it was at its connection limit. */
    public long refusedForLimit() {
        return refusedForLimit.get();
    }

    /** Versions of its own record this peer announced (after the first). */
    public long recordsAnnounced() {
        return recordsAnnounced.get();
    }
}
