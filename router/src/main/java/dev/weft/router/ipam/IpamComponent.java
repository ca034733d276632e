package dev.weft.router.ipam;

import dev.weft.ipam.api.Ipam;
import dev.weft.ipam.runtime.IpamRuntime;
import dev.weft.router.runtime.RouterComponent;
import dev.weft.router.runtime.RouterContext;
import java.util.Optional;

/** IPAM as a router component: started by {@link IpamWiring} on the router's mesh and HTTP API. */
public final class IpamComponent implements RouterComponent {

    private final IpamOptions options;
    private volatile IpamRuntime ipam;

    public IpamComponent(IpamOptions options) {
        this.options = options;
    }

    @Override
    public String name() {
        return "ipam";
    }

    @Override
    public void start(RouterContext context) throws IpamWiring.StartException {
        ipam = IpamWiring.start(options, context.mesh(), context.http());
    }

    /** IPAM's service once started; empty before {@link #start} and after {@link #close}. */
    public Optional<Ipam> ipam() {
        IpamRuntime r = ipam;
        return r == null ? Optional.empty() : Optional.of(r.ipam());
    }

    /** The running IPAM (metrics, benchmarks), or null before {@link #start}. */
    public IpamRuntime runtime() {
        return ipam;
    }

    @Override
    public void close() {
        IpamRuntime r = ipam;
        ipam = null;
        if (r != null) {
            r.close();
        }
    }
}
