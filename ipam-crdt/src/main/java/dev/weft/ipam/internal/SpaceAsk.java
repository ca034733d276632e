package dev.weft.ipam.internal;

import dev.weft.gossip.api.PeerName;
import java.util.HashSet;
import java.util.Set;

/** The space request outstanding for one subnet: whom we asked, when, and who said no this round. */
final class SpaceAsk {
    PeerName donor;
    long sentAt;
    int requests;
    final Set<PeerName> deniedBy = new HashSet<>();
}
