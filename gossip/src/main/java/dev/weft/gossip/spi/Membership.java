package dev.weft.gossip.spi;

import dev.weft.gossip.api.PeerName;
import dev.weft.gossip.api.PeerUid;
import java.net.InetSocketAddress;

/**
 * Discovery and liveness hints from outside the mesh's own connections: a static list, the
 * simulator, or scalecube-cluster (SWIM). Hints only: the mesh dials what it hears about and
 * verifies everything in its own authenticated handshake; nothing decides correctness from them
 * (a "gone" hint never removes a peer or releases its state).
 */
public interface Membership extends AutoCloseable {

    /**
     * Starts and announces this peer.
     *
     * @param self this peer
     * @param listener receives hints; called on the membership's threads, must not block
     */
    void start(Member self, Listener listener);

    /** Stops; no more hints after this returns. Idempotent. */
    @Override
    void close();

    /**
     * A peer as membership knows it.
     *
     * @param name peer name, or null when only an address is known (a static list)
     * @param uid incarnation, or null when only an address is known
     * @param nickname nickname ({@code ""} if unknown)
     * @param meshAddress where its mesh listens
     */
    record Member(PeerName name, PeerUid uid, String nickname, InetSocketAddress meshAddress) {}

    /** Hints about other peers. */
    interface Listener {

        /** {@code member} exists and seems alive: worth dialling. */
        void seen(Member member);

        /** {@code member} seems gone: stop dialling it (its mesh state is not touched). */
        void gone(Member member);
    }
}
