package dev.weft.router.runtime;

import dev.weft.router.ipam.IpamComponent;
import dev.weft.router.ipam.IpamOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * The components {@code weft launch} starts, in order. Each module's router component is added
 * here, one line each (IPAM, data plane, CNI, ...).
 */
public final class RouterComponents {

    private RouterComponents() {}

    /** The components for a router launched with {@code config} and these module options. */
    public static List<RouterComponent> forLaunch(RouterConfig config, IpamOptions ipam) {
        List<RouterComponent> all = new ArrayList<>(Router.coreComponents());
        all.add(new IpamComponent(ipam));
        return all;
    }
}
