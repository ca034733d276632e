package dev.weft.ipam.api;

import java.util.ArrayList;
import java.util.List;

/**
 * How a new cluster seeds its ring ({@code --ipalloc-init}). Ignored when this peer already has a
 * ring (persisted, or learnt from a peer).
 */
public sealed interface InitMode {

    /**
     * Paxos over gossip among the peers: the ring is seeded once {@code expectedPeers / 2 + 1} of
     * them agree. Nothing happens until the first request needs the ring.
     *
     * @param expectedPeers how many peers (this one included) the cluster is expected to start with
     */
    record Consensus(int expectedPeers) implements InitMode {
        public Consensus {
            if (expectedPeers < 1 || expectedPeers > 10_000) {
                throw IpamException.badRequest("consensus=N needs 1 <= N <= 10000, got " + expectedPeers);
            }
        }

        /** Votes needed: a strict majority of the expected peers. */
        public int quorum() {
            return expectedPeers / 2 + 1;
        }

        @Override
        public String toString() {
            return "consensus=" + expectedPeers;
        }
    }

    /**
     * Every peer builds the same ring from the same list of peer names, without consensus. Every
     * peer that ever joins must be given the identical list, and the names must be fixed.
     *
     * @param peerNames peer names as printed by {@code weft status} (e.g. {@code 02:00:00:00:00:01})
     */
    record Seed(List<String> peerNames) implements InitMode {
        public Seed {
            if (peerNames == null || peerNames.isEmpty()) {
                throw IpamException.badRequest("seed=NAMES needs at least one peer name");
            }
            peerNames = List.copyOf(peerNames);
        }

        @Override
        public String toString() {
            return "seed=" + String.join(",", peerNames);
        }
    }

    /** Never votes and never seeds: gets the ring from peers that have it (autoscaling nodes). */
    record Observer() implements InitMode {
        @Override
        public String toString() {
            return "observer";
        }
    }

    /**
     * Parses the flag's value: {@code consensus=N}, {@code seed=NAME,NAME,...} or {@code observer}.
     *
     * @throws IpamException of kind BAD_REQUEST naming the accepted forms
     */
    static InitMode parse(String text) {
        if (text == null) {
            throw IpamException.badRequest("--ipalloc-init is empty");
        }
        if (text.equals("observer")) {
            return new Observer();
        }
        if (text.startsWith("consensus=")) {
            String n = text.substring("consensus=".length());
            if (n.isEmpty() || n.length() > 5 || !n.chars().allMatch(Character::isDigit)) {
                throw IpamException.badRequest("consensus=N needs a number of peers, got \"" + n + "\"");
            }
            return new Consensus(Integer.parseInt(n));
        }
        if (text.startsWith("seed=")) {
            List<String> names = new ArrayList<>();
            for (String s : text.substring("seed=".length()).split(",", -1)) {
                if (s.isBlank()) {
                    throw IpamException.badRequest("seed=NAMES has an empty name: \"" + text + "\"");
                }
                names.add(s.strip());
            }
            return new Seed(names);
        }
        throw IpamException.badRequest("--ipalloc-init must be consensus=N, seed=NAME[,NAME...] or observer, got \""
                + Address.clip(text) + "\"");
    }
}
