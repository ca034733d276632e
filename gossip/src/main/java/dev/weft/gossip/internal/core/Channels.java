package dev.weft.gossip.internal.core;

import dev.weft.gossip.api.GossipChannel;
import dev.weft.gossip.api.Gossiper;
import dev.weft.gossip.api.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The gossip channels of one peer: registered ones (the mesh's own {@code topology} included) and
 * surrogates for names seen on the wire but not registered here. Actor-confined.
 */
final class Channels {

    /** Most surrogate channels kept, so garbage channel names cannot grow memory without bound. */
    static final int MAX_SURROGATES = 64;

    /** A channel and where its callbacks run ({@code callbacks == null}: on the mesh actor). */
    record Entry(String name, Gossiper gossiper, Scheduler callbacks, boolean registered) {}

    private final TreeMap<String, Entry> registered = new TreeMap<>();
    private Entry lastLookup; // a registered entry: the last one lookup() found
    private final Map<String, Entry> surrogates = new HashMap<>();
    private final Scheduler actor;
    private final Duration surrogateMemory;

    Channels(Scheduler actor, Duration surrogateMemory) {
        this.actor = actor;
        this.surrogateMemory = surrogateMemory;
    }

    /** Checks a channel name; returns null if fine, else the reason. */
    static String invalidName(String name) {
        if (name == null || name.isEmpty()) {
            return "channel name must not be empty";
        }
        if (name.length() > GossipChannel.MAX_NAME_BYTES) {
            return "channel name longer than " + GossipChannel.MAX_NAME_BYTES + " characters";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                return "channel name must be printable US-ASCII without spaces";
            }
        }
        return null;
    }

    Entry register(String name, Gossiper gossiper, Scheduler callbacks) {
        String bad = invalidName(name);
        if (bad != null) {
            throw new IllegalArgumentException(bad + ": '" + name + "'");
        }
        if (registered.containsKey(name)) {
            throw new IllegalArgumentException("gossip channel '" + name + "' is already registered");
        }
        Entry e = new Entry(name, gossiper, callbacks, true);
        registered.put(name, e);
        lastLookup = null;
        surrogates.remove(name);
        return e;
    }

    void unregister(Entry e) {
        registered.remove(e.name(), e);
        lastLookup = null;
    }

    /** The channel for a received message, a surrogate if unregistered, or null if too many. */
    Entry lookup(String name) {
        Entry last = lastLookup;
        if (last != null && (last.name() == name || last.name().equals(name))) {
            return last; // one channel (topology) carries most messages
        }
        Entry e = registered.get(name);
        if (e != null) {
            lastLookup = e;
            return e;
        }
        e = surrogates.get(name);
        if (e == null && surrogates.size() < MAX_SURROGATES) {
            e = new Entry(name, new SurrogateGossiper(actor, surrogateMemory), null, false);
            surrogates.put(name, e);
        }
        return e;
    }

    boolean isRegistered(String name) {
        return registered.containsKey(name);
    }

    /** Registered channels in name order. */
    List<Entry> all() {
        return new ArrayList<>(registered.values());
    }
}
