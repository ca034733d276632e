package dev.weft.ipam.internal;

import dev.weft.gossip.api.PeerName;
import java.util.Map;

/** The messages of the IPAM gossip channel (see {@link IpamCodec} for the bytes). */
public sealed interface IpamMessage {

    /**
     * Our state: the ring when seeded, else the Paxos knowledge. Sent as periodic gossip, as
     * broadcasts (seeding, donation, rmpeer, leave) and as unicast replies.
     *
     * @param ring the ring, or null before seeding
     * @param paxos Paxos knowledge (empty once a ring exists)
     * @param wantReply the sender asks every receiver that has a ring to unicast it back (observers,
     *     peers relearning after a restart without their store)
     */
    record State(Ring ring, Map<PeerName, NodeClaims> paxos, boolean wantReply) implements IpamMessage {
        public State {
            paxos = Map.copyOf(paxos);
        }
    }

    /** "Please give me some of your free space in {@code [start, end)}" (unicast to a donor). */
    record SpaceRequest(long start, long end) implements IpamMessage {}

    /** "I have no free space in {@code [start, end)}" (unicast reply to a SpaceRequest). */
    record SpaceDenied(long start, long end) implements IpamMessage {}
}
