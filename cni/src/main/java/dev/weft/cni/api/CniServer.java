package dev.weft.cni.api;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The router's CNI endpoint, running: the socket serves, the DEL queue was drained, the network
 * configuration is written. Started by {@code dev.weft.cni.runtime.CniServers#start}.
 */
public interface CniServer extends AutoCloseable {

    /** The socket the shim talks to. */
    Path socket();

    /** The network configuration file written at start, if one was. */
    Optional<Path> confList();

    /**
     * Stops serving: new shim invocations then see the router as down (ADD code 11, DEL queued).
     * Leaves the network configuration in place, so the node does not flap NotReady and DEL keeps
     * working through the queue. Idempotent; blocks until the acceptor stopped.
     */
    @Override
    void close();
}
