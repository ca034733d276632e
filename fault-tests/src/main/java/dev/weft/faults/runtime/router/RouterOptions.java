package dev.weft.faults.runtime.router;

import java.util.ArrayList;
import java.util.List;

/**
 * How every router of a run is launched: {@code weft launch --password PASSWORD --ipalloc-range
 * RANGE --ipalloc-init consensus=N PEER...} plus extra flags.
 *
 * @param password the mesh password (every connection encrypted)
 * @param ipRange the range pods get addresses from
 * @param expectedPeers N for {@code --ipalloc-init consensus=N}
 * @param extraFlags any further flags, verbatim
 * @param ipam whether the router has IPAM flags (older builds: the mesh only)
 * @param cni whether the router serves CNI (older builds: no data plane, no CNI)
 */
public record RouterOptions(
        String password, String ipRange, int expectedPeers, List<String> extraFlags, boolean ipam, boolean cni) {

    /** The HTTP API inside every node. */
    public static final String API = "http://127.0.0.1:6784";

    /** The router's CNI socket inside a node (the default of {@code --cni-socket}). */
    public static final String CNI_SOCKET = "/run/weft/cni.sock";

    /**
     * The configuration list the router writes once its CNI socket serves (the default of {@code
     * --cni-conf-dir}, and the file name it writes there).
     */
    public static final String CNI_CONFLIST = "/etc/cni/net.d/10-weft.conflist";

    public RouterOptions {
        extraFlags = List.copyOf(extraFlags);
        if (password.isBlank()) {
            throw new IllegalArgumentException("the fault tests always run with a password");
        }
    }

    /** The {@code weft launch} arguments for a node whose peers are {@code peers} (addresses). */
    public List<String> launchArgs(List<String> peers) {
        List<String> a = new ArrayList<>(List.of("launch", "--password", password));
        if (ipam) {
            a.addAll(List.of("--ipalloc-range", ipRange, "--ipalloc-init", "consensus=" + expectedPeers));
        }
        a.addAll(extraFlags);
        a.addAll(peers);
        return a;
    }
}
