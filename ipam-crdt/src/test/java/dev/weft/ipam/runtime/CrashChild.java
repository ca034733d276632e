package dev.weft.ipam.runtime;

import dev.weft.gossip.api.PeerName;
import dev.weft.ipam.api.ContainerId;
import dev.weft.ipam.api.InitMode;
import dev.weft.ipam.api.IpamConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Semaphore;

/**
 * The crash test's child process: IPAM with its real store, allocating as fast as it can with 64
 * requests in flight, printing "ACK id address" for each acknowledged allocation. The parent kills
 * it with SIGKILL at a random moment.
 */
public final class CrashChild {

    private CrashChild() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String prefix = args[1];
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false, "US-ASCII");
        IpamConfig config = IpamConfig.of(IpamConfig.DEFAULT_RANGE, null, new InitMode.Consensus(1));
        IpamRuntime ipam = IpamRuntime.standalone(config, new PeerName(0x02_00_00_00_00_01L), dir);
        out.println("READY");
        out.flush();
        Semaphore inFlight = new Semaphore(64);
        for (int i = 0; ; i++) {
            inFlight.acquire();
            String id = prefix + "-" + i;
            ipam.ipam()
                    .allocate(ContainerId.of(id), Optional.empty(), Duration.ofSeconds(30))
                    .whenComplete((a, e) -> {
                        if (e == null) {
                            synchronized (out) {
                                out.println("ACK " + id + " " + a);
                                out.flush();
                            }
                        }
                        inFlight.release();
                    });
        }
    }
}
