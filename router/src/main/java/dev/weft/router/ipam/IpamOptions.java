package dev.weft.router.ipam;

import dev.weft.ipam.api.Cidr;
import dev.weft.ipam.api.InitMode;
import dev.weft.ipam.api.IpamConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The IPAM flags of {@code weft launch} (a picocli mixin: {@code @Mixin IpamOptions ipam}).
 * {@link #config()} validates them and explains what is wrong.
 */
public final class IpamOptions {
    /** {@code --data-dir}'s default (picocli syntax), shared with {@code weft reset}. */
    public static final String DATA_DIR_DEFAULT = "${env:WEFT_DATA_DIR:-/var/lib/weft}";

    @Option(
            names = "--ipalloc-range",
            paramLabel = "CIDR",
            defaultValue = "${env:WEFT_IPALLOC_RANGE:-10.32.0.0/12}",
            description = "The range every peer allocates pod addresses from (env WEFT_IPALLOC_RANGE;"
                    + " default: ${DEFAULT-VALUE}).")
    String range;

    @Option(
            names = "--ipalloc-default-subnet",
            paramLabel = "CIDR",
            description = "Where allocations without a subnet go; inside the range (default: the range).")
    String defaultSubnet;

    @Option(
            names = "--ipalloc-init",
            paramLabel = "MODE",
            defaultValue = "${env:WEFT_IPALLOC_INIT:-consensus=1}",
            description =
                    "How a new cluster seeds its ring: consensus=N (N expected peers, quorum N/2+1),"
                            + " seed=NAME[,NAME...] (the same list on every peer), or observer (env WEFT_IPALLOC_INIT; default: ${DEFAULT-VALUE}).")
    String init;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            defaultValue = DATA_DIR_DEFAULT,
            description = "Where the router keeps its state: peer name, IPAM's store DIR/ipam.db"
                    + " (env WEFT_DATA_DIR; default: ${DEFAULT-VALUE}).")
    Path dataDir;

    /**
     * The IPAM configuration.
     *
     * @throws dev.weft.ipam.api.IpamException BAD_REQUEST naming the flag and the problem
     */
    public IpamConfig config() {
        Cidr r = Cidr.parse(range);
        Cidr d = defaultSubnet == null ? null : Cidr.parse(defaultSubnet);
        return IpamConfig.of(r, d, InitMode.parse(init));
    }

    public Path dataDir() {
        return dataDir;
    }
}
