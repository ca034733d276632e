package dev.weft.ipam.runtime;

import dev.weft.ipam.internal.Durability;
import dev.weft.ipam.internal.SqliteStore;
import dev.weft.ipam.internal.StoreBatch;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: one writer thread takes every batch queued since its last commit, applies them in
 * one SQLite transaction, commits (one fsync), then runs their callbacks in order. With one commit
 * costing ~0.3 ms here, a single thread sustains tens of thousands of durable changes per second
 * while each caller still waits for its own change to be on disk.
 */
public final class GroupCommitter implements Durability, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GroupCommitter.class);

    /** Most batches in one transaction (bounds a transaction's size and latency). */
    static final int MAX_BATCHES_PER_COMMIT = 4096;

    private record Item(StoreBatch batch, Runnable onDurable, Consumer<String> onFailure) {}

    private static final Item STOP = new Item(null, null, null);

    private final SqliteStore store;
    private final LinkedBlockingQueue<Item> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile String failure;
    private final java.util.concurrent.atomic.AtomicLong commits = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong batches = new java.util.concurrent.atomic.AtomicLong();

    public GroupCommitter(SqliteStore store) {
        this.store = store;
        this.writer = Thread.ofPlatform().name("weft-ipam-store").daemon(true).unstarted(this::run);
        writer.start();
    }

    @Override
    public void submit(StoreBatch batch, Runnable onDurable, Consumer<String> onFailure) {
        queue.add(new Item(batch, onDurable, onFailure));
    }

    @Override
    public String failure() {
        return failure;
    }

    /** Transactions committed so far. */
    public long commits() {
        return commits.get();
    }

    /** Batches made durable so far. */
    public long batches() {
        return batches.get();
    }

    private void run() {
        List<Item> items = new ArrayList<>();
        List<StoreBatch> work = new ArrayList<>();
        boolean stopping = false;
        while (!stopping) {
            items.clear();
            work.clear();
            try {
                items.add(queue.take());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            queue.drainTo(items, MAX_BATCHES_PER_COMMIT - 1);
            if (items.remove(STOP)) {
                stopping = true;
            }
            for (Item i : items) {
                work.add(i.batch());
            }
            if (failure == null) {
                try {
                    store.apply(work);
                    commits.incrementAndGet();
                    batches.addAndGet(items.size());
                } catch (SQLException | RuntimeException e) {
                    failure = "writing " + store.file() + " failed: " + e.getMessage();
                    log.error("IPAM store failed; IPAM stops acknowledging changes", e);
                }
            }
            for (Item i : items) {
                try {
                    if (failure == null) {
                        i.onDurable().run();
                    } else {
                        i.onFailure().accept(failure);
                    }
                } catch (RuntimeException e) {
                    log.error("IPAM completion failed", e);
                }
            }
        }
    }

    /** Commits what is queued, then stops the writer and closes the store. */
    @Override
    public void close() {
        queue.add(STOP);
        try {
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        store.close();
    }
}
