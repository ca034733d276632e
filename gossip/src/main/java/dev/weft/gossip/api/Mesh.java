package dev.weft.gossip.api;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * One peer's view of and handle on the mesh: what other modules (IPAM, overlays, the router) use.
 * Build one with {@link MeshBuilder} (production wiring lives in {@code
 * dev.weft.gossip.runtime.MeshRuntime}; the simulator in the {@code weft-gossip-testkit} module).
 *
 * <p>Threads: every method may be called from any thread. Methods that read state ({@link
 * #topology()}, {@link #status()}) run on the mesh's actor: from another thread they wait (briefly)
 * for it, so never call them from inside a {@link Gossiper} callback running on a different actor
 * that the mesh may be waiting for. Methods that change state hand the work to the actor and return
 * at once.
 */
public interface Mesh extends AutoCloseable {

    /** This peer's name. */
    PeerName name();

    /** This peer's incarnation. */
    PeerUid uid();

    /** Where this mesh's actors, clock and randomness come from; use it for your component too. */
    Environment environment();

    /**
     * Registers the gossip channel {@code name} with its callbacks run on the mesh's own actor.
     *
     * @throws IllegalArgumentException if the name is empty, longer than {@link
     *     GossipChannel#MAX_NAME_BYTES}, not printable US-ASCII, reserved ({@code topology}) or
     *     already registered
     */
    GossipChannel registerChannel(String name, Gossiper gossiper);

    /**
     * Registers the gossip channel {@code name}; the mesh calls {@code gossiper} on {@code
     * callbacks} (your component's actor), so its state needs no locks. Results of {@code
     * onBroadcast}/{@code onGossip} are relayed once the callback returns.
     *
     * @throws IllegalArgumentException as {@link #registerChannel(String, Gossiper)}
     */
    GossipChannel registerChannel(String name, Gossiper gossiper, Scheduler callbacks);

    /** A snapshot of every known peer. May wait for the mesh actor (see class comment). */
    Topology topology();

    /** The current routes (the latest snapshot; recalculated within ~100 ms of a change). */
    Routes routes();

    /**
     * Calls {@code listener} on {@code executor} for every later peer change. Existing peers are
     * reported first as {@link PeerListener#peerAdded}, so nothing is missed.
     *
     * @return cancels the registration
     */
    Cancellable addPeerListener(PeerListener listener, Executor executor);

    /** Calls {@code listener} on {@code executor} after each recalculation that changed routes. */
    Cancellable addRoutesListener(Runnable listener, Executor executor);

    /** What {@code weft status} shows. May wait for the mesh actor (see class comment). */
    MeshStatus status();

    /**
     * Adds direct targets ({@code host}, {@code host:port}, {@code [v6]:port}); with {@code
     * replace}, the given list replaces the current direct targets. Addresses are validated before
     * anything changes.
     *
     * @return the targets that were not understood, with the reason (empty if all were added)
     */
    List<String> connect(Collection<String> addresses, boolean replace);

    /**
     * Removes direct targets; existing connections to them stay up, they are just not redialled.
     */
    void forget(Collection<String> addresses);

    /** Starts listening, dialling and gossiping. Idempotent. */
    void start();

    /** Closes every connection and stops the actor's timers. Idempotent. */
    @Override
    void close();
}
