package dev.weft.router.ipam;

import dev.weft.ipam.runtime.IpamRuntime;
import dev.weft.router.runtime.RouterComponent;
import dev.weft.router.runtime.RouterContext;

/** IPAM as a router component: started by {@link IpamWiring} on the router's mesh and HTTP API. */
public final class IpamComponent implements RouterComponent {

    private final IpamOptions options;
    private IpamRuntime ipam;

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

    @Override
    public void close() {
        if (ipam != null) {
            ipam.close();
        }
    }
}
