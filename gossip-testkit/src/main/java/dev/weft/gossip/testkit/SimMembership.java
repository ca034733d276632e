package dev.weft.gossip.testkit;

import dev.weft.gossip.spi.Membership;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A simulated membership service for the whole simulation: a directory every peer joins. A joiner
 * hears of everyone already there and everyone hears of it, at once and in join order
 * (deterministic); a peer that stops or crashes is reported gone to the others. Like scalecube it
 * gives hints only. Single-threaded, like the simulation.
 */
public final class SimMembership {

    private final Map<Membership.Member, Membership.Listener> members = new LinkedHashMap<>();

    /** A membership client for one peer. */
    public Membership client() {
        return new Membership() {
            private Member self;

            @Override
            public void start(Member me, Listener listener) {
                self = me;
                for (Map.Entry<Member, Listener> e : new ArrayList<>(members.entrySet())) {
                    listener.seen(e.getKey());
                    e.getValue().seen(me);
                }
                members.put(me, listener);
            }

            @Override
            public void close() {
                leave(self);
            }
        };
    }

    /** {@code m} is gone (stopped or crashed): tell the others. */
    void leave(Membership.Member m) {
        if (m == null || members.remove(m) == null) {
            return;
        }
        for (Membership.Listener l : new ArrayList<>(members.values())) {
            l.gone(m);
        }
    }

    /** Members currently joined. */
    public List<Membership.Member> members() {
        return List.copyOf(members.keySet());
    }
}
