package dev.weft.router.cni;

import dev.weft.cni.api.CniConfig;
import dev.weft.cni.api.CniServer;
import dev.weft.cni.runtime.CniServers;
import dev.weft.cni.spi.AddressAllocator;
import dev.weft.cni.spi.PodPorts;
import java.io.IOException;

/**
 * How {@code weft launch} brings CNI up, after IPAM: install the plugin, bind the socket, apply
 * the DELs queued while the router was down, serve, then write the network configuration (so a
 * node only advertises Weft once Weft can answer).
 */
public final class CniWiring {

    private CniWiring() {}

    /** Thrown when CNI cannot start; the message is for the operator. */
    public static final class StartException extends Exception {
        private static final long serialVersionUID = 1L;

        StartException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Starts serving CNI with addresses from {@code allocator} (IPAM's adapter). Blocks until the
     * socket serves and the configuration is written.
     */
    public static CniServer start(CniConfig config, AddressAllocator allocator) throws StartException {
        return start(config, allocator, PodPorts.BRIDGE);
    }

    /** {@link #start(CniConfig, AddressAllocator)} with pods' host veths plugged where {@code ports} says. */
    public static CniServer start(CniConfig config, AddressAllocator allocator, PodPorts ports) throws StartException {
        try {
            return CniServers.start(config, allocator, ports);
        } catch (IOException | RuntimeException e) {
            throw new StartException(
                    "cannot serve CNI on " + config.socket() + " (queue " + config.deleteQueue() + "): "
                            + e.getMessage(),
                    e);
        }
    }
}
