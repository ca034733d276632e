package dev.weft.router.ipam;

import dev.weft.gossip.api.Mesh;
import dev.weft.ipam.api.IpamConfig;
import dev.weft.ipam.internal.SqliteStore;
import dev.weft.ipam.runtime.IpamRuntime;
import dev.weft.router.http.HttpApi;

/**
 * How {@code weft launch} brings IPAM up: validate the flags, open the store in the data directory
 * (refusing a foreign, corrupt or mismatched one with a clear message), join the IPAM gossip
 * channel, and serve the IPAM endpoints on the HTTP API.
 */
public final class IpamWiring {

    private IpamWiring() {}

    /** Thrown when IPAM cannot start; the message is for the operator. */
    public static final class StartException extends Exception {
        private static final long serialVersionUID = 1L;

        StartException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Starts IPAM on {@code mesh} and registers its routes on {@code api}. */
    public static IpamRuntime start(IpamOptions options, Mesh mesh, HttpApi api) throws StartException {
        IpamConfig config;
        try {
            config = options.config();
        } catch (dev.weft.ipam.api.IpamException e) {
            throw new StartException("bad IPAM flags: " + e.getMessage(), e);
        }
        try {
            IpamRuntime ipam = IpamRuntime.start(config, mesh, options.dataDir());
            new IpamHttp(ipam.ipam()).register(api);
            return ipam;
        } catch (SqliteStore.StoreException e) {
            throw new StartException(e.getMessage(), e);
        }
    }
}
