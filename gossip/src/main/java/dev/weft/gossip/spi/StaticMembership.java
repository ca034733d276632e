package dev.weft.gossip.spi;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * Membership from a fixed list of mesh addresses (names unknown until the handshake): every
 * address is a hint to dial once, at start. Never says "gone". Thread-safe; {@link #start} calls
 * the listener on the caller's thread.
 */
public final class StaticMembership implements Membership {

    private final List<InetSocketAddress> addresses;

    /** @param addresses mesh addresses of other peers (copied) */
    public StaticMembership(List<InetSocketAddress> addresses) {
        this.addresses = List.copyOf(addresses);
    }

    @Override
    public void start(Member self, Listener listener) {
        for (InetSocketAddress a : addresses) {
            if (!a.equals(self.meshAddress())) {
                listener.seen(new Member(null, null, "", a));
            }
        }
    }

    @Override
    public void close() {}
}
