package dev.weft.bench.ipam.runtime;

import dev.weft.gossip.api.PeerName;
import dev.weft.ipam.api.InitMode;
import dev.weft.ipam.api.IpamConfig;
import dev.weft.ipam.runtime.IpamRuntime;
import dev.weft.router.http.HttpApi;
import dev.weft.router.ipam.IpamHttp;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * bench/ipam-alloc's server: one router's IPAM with its real SQLite store (WAL, fsync per group
 * commit) behind the router's real HTTP API on an ephemeral loopback port. Prints "PORT n", then
 * serves until killed; on stdin EOF prints the number of store commits and exits.
 */
public final class IpamAllocServer {

    private IpamAllocServer() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        IpamConfig config = IpamConfig.of(IpamConfig.DEFAULT_RANGE, null, new InitMode.Consensus(1));
        try (IpamRuntime ipam = IpamRuntime.standalone(config, new PeerName(0x02_00_00_00_00_01L), dir);
                HttpApi api = HttpApi.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            new IpamHttp(ipam.ipam()).register(api);
            System.out.println("PORT " + api.address().getPort());
            System.out.flush();
            while (System.in.read() >= 0) {
                // wait for the script to close our stdin
            }
            System.out.println("COMMITS " + ipam.commits());
            System.out.flush();
        }
    }
}
