package dev.weft.bench.ipam.runtime;

import dev.weft.gossip.api.PeerName;
import dev.weft.router.ipam.IpamComponent;
import dev.weft.router.ipam.IpamOptions;
import dev.weft.router.runtime.Router;
import dev.weft.router.runtime.RouterComponent;
import dev.weft.router.runtime.RouterConfig;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * bench/ipam-alloc's server: one real router (mesh, HTTP API, IPAM component, as {@code weft launch}
 * wires them) with its real SQLite store (WAL, fsync per group commit) in {@code args[0]}, mesh and
 * HTTP API on ephemeral loopback ports, seeding alone ({@code --ipalloc-init consensus=1}); the data
 * plane and CNI components are left out (they need no part of this path). Prints the disk's forced
 * write latency ({@link FsyncProbe}) as "FSYNC ...", then "PORT n" (the HTTP API), then serves; on
 * stdin EOF prints the store's commit count and the disk latency again ("FSYNC_AFTER ...") and exits.
 */
public final class IpamAllocServer {

    private IpamAllocServer() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        IpamOptions options = CommandLine.populateCommand(
                new IpamOptions(), "--data-dir", dir.toString(), "--ipalloc-init", "consensus=1");
        IpamComponent ipam = new IpamComponent(options);
        List<RouterComponent> components = new ArrayList<>(Router.coreComponents());
        components.add(ipam);
        RouterConfig config = new RouterConfig(
                new PeerName(0x02_00_00_00_00_01L),
                "bench",
                null,
                List.of(),
                "127.0.0.1",
                0,
                0,
                false,
                new InetSocketAddress("127.0.0.1", 0),
                dir);
        System.out.println("FSYNC " + FsyncProbe.measure(dir, 200));
        try (Router router = Router.start(config, components)) {
            System.out.println("PORT " + router.httpAddress().getPort());
            System.out.flush();
            while (System.in.read() >= 0) {
                // wait for the script to close our stdin
            }
            System.out.println("COMMITS " + ipam.runtime().commits());
            System.out.println("FSYNC_AFTER " + FsyncProbe.measure(dir, 200));
            System.out.flush();
        }
    }
}
