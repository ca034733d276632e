package dev.weft.router.runtime;

import dev.weft.router.cni.CniComponent;
import dev.weft.router.cni.CniOptions;
import dev.weft.router.cni.FastPathPodPorts;
import dev.weft.router.internal.dataplane.DataPlaneConfig;
import dev.weft.router.ipam.IpamComponent;
import dev.weft.router.ipam.IpamOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The components {@code weft launch} starts, in order. Each module's router component is added
 * here, one line each: the mesh's own, IPAM, the data plane (bridge, sleeve, fast path, overlay
 * switch, {@code weft attach}), CNI.
 */
public final class RouterComponents {

    private RouterComponents() {}

    /**
     * The components for a router launched with {@code config} and these module options.
     *
     * @param dataPlane the data plane's settings, or empty for a router without one (mesh, IPAM and
     *     nothing that needs the bridge: no attach, no CNI)
     */
    public static List<RouterComponent> forLaunch(
            RouterConfig config, IpamOptions ipam, Optional<DataPlaneConfig> dataPlane, CniOptions cni) {
        List<RouterComponent> all = new ArrayList<>(Router.coreComponents());
        IpamComponent ipamComponent = new IpamComponent(ipam);
        all.add(ipamComponent);
        if (dataPlane.isPresent()) {
            DataPlaneConfig d = dataPlane.get();
            DataPlaneComponent dataPlaneComponent = new DataPlaneComponent(d, ipamComponent::ipam);
            all.add(dataPlaneComponent);
            if (cni.enabled()) {
                // CNI's pods go into the fast path when it takes pods (ODP), as weft attach's do
                all.add(new CniComponent(
                        cni,
                        d.bridge(),
                        d.mtu(),
                        ipamComponent::ipam,
                        new FastPathPodPorts(dataPlaneComponent::fastPath)));
            }
        }
        return all;
    }
}
