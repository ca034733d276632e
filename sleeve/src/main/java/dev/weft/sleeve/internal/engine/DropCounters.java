package dev.weft.sleeve.internal.engine;

import dev.weft.sleeve.api.Drop;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Counts drops by reason; safe from any thread, allocation-free to increment. */
public final class DropCounters {
    private final LongAdder[] counts = new LongAdder[Drop.values().length];

    public DropCounters() {
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    public void count(Drop reason) {
        counts[reason.ordinal()].increment();
    }

    public long get(Drop reason) {
        return counts[reason.ordinal()].sum();
    }

    /** A snapshot of every reason (allocates). */
    public Map<Drop, Long> snapshot() {
        Map<Drop, Long> m = new EnumMap<>(Drop.class);
        for (Drop d : Drop.values()) {
            m.put(d, get(d));
        }
        return m;
    }
}
