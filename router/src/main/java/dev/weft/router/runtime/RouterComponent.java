package dev.weft.router.runtime;

import dev.weft.gossip.spi.Overlay;
import java.util.List;

/**
 * A part of the router (the mesh's own status, IPAM, the data plane, CNI, ...), each in its own
 * class: it may contribute overlays before the mesh is built, then starts with the mesh available
 * and registers its own HTTP endpoints and status section on the {@link RouterContext}. The router
 * starts components in list order and closes them in reverse.
 */
public interface RouterComponent extends AutoCloseable {

    /** A short name for logs, e.g. {@code ipam}. */
    String name();

    /**
     * Overlays this component provides (most preferred first); called before the mesh is built,
     * when {@link RouterContext#mesh()} is not available yet. Default: none.
     */
    default List<Overlay> overlays(RouterContext context) throws Exception {
        return List.of();
    }

    /**
     * Starts: the mesh is running; register gossip channels, HTTP routes ({@link
     * RouterContext#http()}) and a status section ({@link RouterContext#addStatusSection}).
     */
    void start(RouterContext context) throws Exception;

    /** Stops and releases everything. Default: nothing. */
    @Override
    default void close() throws Exception {}
}
