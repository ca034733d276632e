package dev.weft.ipam.internal;

import dev.weft.ipam.api.Cidr;
import dev.weft.ipam.api.ContainerId;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which addresses this peer has handed out and to whom: per-container ownership records, and a
 * bit per address of the universe for the fast "lowest free address" and "is any address in this
 * range used" questions. Addresses outside the universe (claims of foreign addresses) are only
 * recorded.
 *
 * <p>Not thread-safe: owned by the allocator actor.
 */
public final class Allocations {

    private final long start;
    private final long end;
    private final BitSet used;
    private final Map<ContainerId, List<Cidr>> byId = new HashMap<>();
    private final Map<Long, ContainerId> byAddress = new HashMap<>();

    public Allocations(long start, long end) {
        this.start = start;
        this.end = end;
        this.used = new BitSet((int) (end - start));
    }

    /** Records {@code addr} (with its subnet's prefix length) for {@code id}. */
    public void add(ContainerId id, Cidr addr) {
        long a = addr.address().value();
        ContainerId prev = byAddress.putIfAbsent(a, id);
        if (prev != null) {
            throw new IllegalStateException(addr + " is already held by " + prev);
        }
        byId.computeIfAbsent(id, k -> new ArrayList<>(1)).add(addr);
        if (a >= start && a < end) {
            used.set((int) (a - start));
        }
    }

    /** Removes {@code addr} from {@code id}; returns the record removed, or null. */
    public Cidr remove(ContainerId id, long addr) {
        if (!id.equals(byAddress.get(addr))) {
            return null;
        }
        byAddress.remove(addr);
        List<Cidr> list = byId.get(id);
        Cidr removed = null;
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).address().value() == addr) {
                removed = list.remove(i);
                break;
            }
        }
        if (list.isEmpty()) {
            byId.remove(id);
        }
        if (addr >= start && addr < end) {
            used.clear((int) (addr - start));
        }
        return removed;
    }

    /** The addresses of {@code id}, sorted; empty if none. */
    public List<Cidr> of(ContainerId id) {
        List<Cidr> l = byId.get(id);
        if (l == null) {
            return List.of();
        }
        List<Cidr> copy = new ArrayList<>(l);
        copy.sort(null);
        return copy;
    }

    /** The address {@code id} holds inside {@code subnet}, or null. */
    public Cidr inSubnet(ContainerId id, Cidr subnet) {
        List<Cidr> l = byId.get(id);
        if (l != null) {
            for (Cidr c : l) {
                if (subnet.contains(c.address().value()) && c.prefixLength() == subnet.prefixLength()) {
                    return c;
                }
            }
        }
        return null;
    }

    /** Who holds {@code addr}, or null. */
    public ContainerId holder(long addr) {
        return byAddress.get(addr);
    }

    /** Every record, sorted by id. */
    public Map<ContainerId, List<Cidr>> all() {
        Map<ContainerId, List<Cidr>> m = new TreeMap<>();
        for (ContainerId id : byId.keySet()) {
            m.put(id, of(id));
        }
        return m;
    }

    /** Number of addresses recorded. */
    public int count() {
        return byAddress.size();
    }

    /** True if any address in {@code [from, to)} (inside the universe) is used. */
    public boolean anyUsed(long from, long to) {
        from = Math.max(from, start);
        to = Math.min(to, end);
        if (from >= to) {
            return false;
        }
        int i = used.nextSetBit((int) (from - start));
        return i >= 0 && i < to - start;
    }

    /** The first used address in {@code [from, to)}, or -1. */
    public long firstUsed(long from, long to) {
        from = Math.max(from, start);
        to = Math.min(to, end);
        if (from >= to) {
            return -1;
        }
        int i = used.nextSetBit((int) (from - start));
        return i >= 0 && i < to - start ? start + i : -1;
    }

    /** Used addresses in {@code [from, to)}. */
    public long usedIn(long from, long to) {
        from = Math.max(from, start);
        to = Math.min(to, end);
        if (from >= to) {
            return 0;
        }
        long n = 0;
        for (int i = used.nextSetBit((int) (from - start)); i >= 0 && i < to - start; i = used.nextSetBit(i + 1)) {
            n++;
        }
        return n;
    }

    /** The lowest free address in {@code [from, to)}, or -1. */
    public long lowestFree(long from, long to) {
        from = Math.max(from, start);
        to = Math.min(to, end);
        if (from >= to) {
            return -1;
        }
        int i = used.nextClearBit((int) (from - start));
        return i < to - start ? start + i : -1;
    }

    /** The first used address at or after {@code from} (inside the universe), or {@code end}. */
    long nextUsed(long from) {
        if (from >= end) {
            return end;
        }
        int i = used.nextSetBit((int) (from - start));
        return i < 0 ? end : start + i;
    }

    /** The first free address at or after {@code from}, or {@code end}. */
    long nextFree(long from) {
        if (from >= end) {
            return end;
        }
        return start + used.nextClearBit((int) (from - start));
    }
}
