package dev.weft.cni.internal.server;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Serialises operations per container (the runtime promises it, but a retried or queued DEL
 * may race a live one) and makes GC and the DEL-queue drain exclusive with everything else.
 * Locks are created on demand and dropped when nobody holds or waits for them. Thread-safe.
 */
public final class ContainerLocks {
    private final ReentrantReadWriteLock global = new ReentrantReadWriteLock(true);
    private final Map<String, Entry> perContainer = new HashMap<>();

    private static final class Entry {
        final ReentrantLock lock = new ReentrantLock();
        int users;
    }

    /** Holds one container's lock (and the shared side of the global one) until closed. */
    public Held container(String containerId) {
        global.readLock().lock();
        Entry e;
        synchronized (perContainer) {
            e = perContainer.computeIfAbsent(containerId, k -> new Entry());
            e.users++;
        }
        e.lock.lock();
        return () -> {
            e.lock.unlock();
            synchronized (perContainer) {
                if (--e.users == 0) {
                    perContainer.remove(containerId);
                }
            }
            global.readLock().unlock();
        };
    }

    /** Holds the exclusive side: no container operation runs until closed (GC, queue drain). */
    public Held exclusive() {
        Lock w = global.writeLock();
        w.lock();
        return w::unlock;
    }

    /** Containers with a lock right now (for tests). */
    int size() {
        synchronized (perContainer) {
            return perContainer.size();
        }
    }

    /** A held lock; closing releases it. */
    @FunctionalInterface
    public interface Held extends AutoCloseable {
        @Override
        void close();
    }
}
