package dev.weft.router.cni;

import dev.weft.cni.api.CniServer;
import dev.weft.ipam.api.Ipam;
import dev.weft.router.ipam.CniAddressAllocator;
import dev.weft.router.runtime.RouterComponent;
import dev.weft.router.runtime.RouterContext;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * CNI as a router component, after IPAM and the data plane (the bridge exists): serves the plugin
 * on its socket with addresses from IPAM ({@link CniWiring#start}). With {@code --no-cni} it does
 * nothing.
 */
public final class CniComponent implements RouterComponent {

    private final CniOptions options;
    private final Supplier<Optional<Ipam>> ipam;
    private CniServer server;

    /** @param ipam IPAM's component's service (started before this one) */
    public CniComponent(CniOptions options, Supplier<Optional<Ipam>> ipam) {
        this.options = options;
        this.ipam = ipam;
    }

    @Override
    public String name() {
        return "cni";
    }

    @Override
    public void start(RouterContext context) throws CniWiring.StartException {
        if (!options.enabled()) {
            return;
        }
        Ipam i = ipam.get()
                .orElseThrow(() -> new IllegalStateException("CNI needs IPAM, which is not running in this router"));
        server = CniWiring.start(
                options,
                context.dataDir(),
                new CniAddressAllocator(i, context.environment().clock(), Optional.empty()));
    }

    /** The running server, or null (tests). */
    public CniServer server() {
        return server;
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
    }
}
