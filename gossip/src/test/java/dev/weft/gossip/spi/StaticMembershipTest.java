package dev.weft.gossip.spi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.gossip.api.PeerName;
import dev.weft.gossip.api.PeerUid;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StaticMembershipTest {

    @Test
    void hintsEveryListedAddressButOurOwnWithoutNames() {
        InetSocketAddress self = new InetSocketAddress("10.0.0.1", 6783);
        InetSocketAddress other = new InetSocketAddress("10.0.0.2", 6783);
        List<Membership.Member> seen = new ArrayList<>();
        new StaticMembership(List.of(self, other))
                .start(new Membership.Member(PeerName.of(1), new PeerUid(1), "a", self), new Membership.Listener() {
                    @Override
                    public void seen(Membership.Member member) {
                        seen.add(member);
                    }

                    @Override
                    public void gone(Membership.Member member) {
                        throw new AssertionError("a static list never says gone");
                    }
                });
        assertThat(seen).containsExactly(new Membership.Member(null, null, "", other));
    }
}
