package dev.weft.router.internal.dataplane;

import dev.weft.linux.api.KernelException;
import dev.weft.linux.api.Link;
import dev.weft.linux.api.LinkSpec;
import dev.weft.linux.api.Links;
import java.util.Optional;

/**
 * The Linux bridge pods hang off, and the ports the router puts on it. Created if missing,
 * adopted if present (a restarted router keeps its pods attached). Blocks for netlink calls.
 */
public final class Bridge {
    private Bridge() {}

    /**
     * Makes sure bridge {@code name} exists with {@code mtu} and is up. Returns its index.
     *
     * @throws IllegalStateException if a non-bridge device has that name
     */
    public static int ensure(Links links, String name, int mtu) {
        Optional<Link> existing = links.find(name);
        if (existing.isPresent() && !"bridge".equals(existing.get().kind())) {
            throw new IllegalStateException(
                    "a " + existing.get().kind() + " device named " + name + " exists; Weft needs it to be its bridge");
        }
        if (existing.isEmpty()) {
            try {
                links.create(LinkSpec.bridge(name).mtu(mtu));
            } catch (KernelException e) {
                if (!e.alreadyExists()) {
                    throw e;
                }
            }
        }
        Link bridge = links.get(name);
        if (bridge.mtu() != mtu) {
            links.setMtu(name, mtu);
        }
        links.setUp(name);
        return bridge.index();
    }

    /** Puts {@code port} on the bridge with the bridge's MTU and brings it up. */
    public static void attach(Links links, String bridge, String port, int mtu) {
        links.setMtu(port, mtu);
        links.setMaster(port, bridge);
        links.setUp(port);
    }
}
