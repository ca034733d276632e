package dev.weft.cni.internal.masq;

import dev.weft.cni.internal.spec.CniErrorCode;
import dev.weft.cni.internal.spec.CniException;
import dev.weft.cni.internal.spec.IpPrefix;
import dev.weft.linux.api.Errno;
import dev.weft.linux.api.KernelException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * {@link PodMasquerade} with nftables. The table is installed and removed through the {@code nft}
 * command (one atomic transaction per call, once per router start); a pod's address goes into and
 * out of the set over netlink ({@link NftSetElements}), which costs a fraction of forking
 * {@code nft} on every ADD and DEL. Weft owns one table, {@code ip weft}, and nothing else:
 *
 * <pre>
 * table ip weft {
 *   set masq-pods { type ipv4_addr; }                 # pods with ipMasq: true
 *   chain postrouting {
 *     type nat hook postrouting priority srcnat; policy accept;
 *     ip saddr @masq-pods ip daddr != { CLUSTER-RANGE, 224.0.0.0/4 } counter masquerade
 *   }
 * }
 * </pre>
 *
 * Pod-to-pod traffic (the destination is in the cluster range, on this node or across the mesh)
 * and multicast keep the pod's address; traffic delivered to the node itself never reaches
 * postrouting. The chain is a base chain of its own at the srcnat priority, so other tables'
 * rules (iptables-nft's {@code nat} table, portmap's chains, kube-proxy's) are neither read nor
 * changed, and the first NAT decision for a connection wins as usual.
 */
public final class NftMasquerade implements PodMasquerade {
    /** The table Weft owns. */
    public static final String TABLE = "weft";
    /** The set of masqueraded pod addresses. */
    public static final String SET = "masq-pods";
    /** The NAT chain. */
    public static final String CHAIN = "postrouting";

    private static final Duration NFT_TIMEOUT = Duration.ofSeconds(20);

    private final IpPrefix clusterRange;
    private final Optional<Path> netns;
    private final List<String> prefix;
    private NftSetElements elements;

    private NftMasquerade(IpPrefix clusterRange, Optional<Path> netns) {
        this.clusterRange = clusterRange;
        this.netns = netns;
        this.prefix = command(netns);
    }

    /**
     * Rules for {@code clusterRange} (an IPv4 CIDR: destinations inside it are never masqueraded),
     * in {@code netns} (tests; empty: the router's own namespace). Nothing is installed yet.
     *
     * @throws IllegalArgumentException for a range that is not an IPv4 CIDR
     */
    public static NftMasquerade of(String clusterRange, Optional<Path> netns) {
        IpPrefix range;
        try {
            range = IpPrefix.parse(clusterRange);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cluster range " + clusterRange + " is not a CIDR", e);
        }
        if (!(range.address() instanceof Inet4Address)) {
            throw new IllegalArgumentException("cluster range " + clusterRange + " is not IPv4");
        }
        return new NftMasquerade(range.network(), netns);
    }

    private static List<String> command(Optional<Path> netns) {
        List<String> cmd = new ArrayList<>();
        netns.ifPresent(ns -> cmd.addAll(List.of("nsenter", "--net=" + ns)));
        cmd.add(nftBinary());
        return List.copyOf(cmd);
    }

    @Override
    public void install(Collection<Inet4Address> pods) throws CniException {
        StringBuilder s = new StringBuilder();
        s.append("add table ip ").append(TABLE).append('\n');
        s.append("add set ip ").append(TABLE).append(' ').append(SET).append(" { type ipv4_addr; }\n");
        s.append("flush set ip ").append(TABLE).append(' ').append(SET).append('\n');
        s.append("add chain ip ")
                .append(TABLE)
                .append(' ')
                .append(CHAIN)
                .append(" { type nat hook postrouting priority srcnat; policy accept; }\n");
        s.append("flush chain ip ").append(TABLE).append(' ').append(CHAIN).append('\n');
        s.append("add rule ip ")
                .append(TABLE)
                .append(' ')
                .append(CHAIN)
                .append(" ip saddr @")
                .append(SET)
                .append(" ip daddr != { ")
                .append(clusterRange)
                .append(", 224.0.0.0/4 } counter masquerade\n");
        if (!pods.isEmpty()) {
            s.append(element("add", pods));
        }
        run(s.toString(), "installing nftables table ip " + TABLE);
    }

    @Override
    public synchronized void add(Inet4Address pod) throws CniException {
        try {
            elements().add(pod);
        } catch (KernelException e) {
            throw kernel("masquerading " + pod.getHostAddress(), e);
        }
    }

    @Override
    public synchronized void remove(Inet4Address pod) throws CniException {
        try {
            elements().delete(pod);
        } catch (KernelException e) {
            throw kernel("no longer masquerading " + pod.getHostAddress(), e);
        }
    }

    @Override
    public synchronized boolean covers(Inet4Address pod) throws CniException {
        try {
            return elements().contains(pod);
        } catch (KernelException e) {
            throw kernel("looking up " + pod.getHostAddress() + " in the masquerade set", e);
        }
    }

    @Override
    public synchronized void close() {
        if (elements != null) {
            elements.close();
            elements = null;
        }
    }

    /** The netlink client of the set, opened on first use and kept (opening costs more than a change). */
    private NftSetElements elements() {
        if (elements == null) {
            elements = NftSetElements.open(netns, TABLE, SET);
        }
        return elements;
    }

    private static CniException kernel(String what, KernelException e) {
        String hint = e.errno() == Errno.ENOENT ? " (table ip " + TABLE + " or its set is missing)" : "";
        return new CniException(CniErrorCode.KERNEL, what + " failed: " + e.getMessage() + hint);
    }

    /**
     * Removes Weft's table, and everything in it, from {@code netns} (empty: the caller's namespace).
     * Returns whether there was one; without {@code nft} there cannot be, so false.
     *
     * @throws CniException if the table is there and cannot be removed
     */
    public static boolean removeTable(Optional<Path> netns) throws CniException {
        NftMasquerade m = new NftMasquerade(IpPrefix.parse("0.0.0.0/0"), netns);
        Outcome listed;
        try {
            listed = m.exec("list table ip " + TABLE + "\n");
        } catch (CniException e) {
            return false; // no nft binary: nothing can have made the table
        }
        if (listed.status() != 0) {
            return false;
        }
        m.run("delete table ip " + TABLE + "\n", "removing nftables table ip " + TABLE);
        return true;
    }

    /** The range that is never masqueraded. */
    public IpPrefix clusterRange() {
        return clusterRange;
    }

    private static String element(String verb, Collection<Inet4Address> pods) {
        return verb + " element ip " + TABLE + " " + SET + " { "
                + pods.stream().map(Inet4Address::getHostAddress).collect(Collectors.joining(", ")) + " }\n";
    }

    private void run(String script, String what) throws CniException {
        Outcome o = exec(script);
        if (o.status() != 0) {
            throw new CniException(
                    CniErrorCode.KERNEL,
                    what + " failed: nft exited " + o.status() + ": "
                            + o.output().strip());
        }
    }

    private record Outcome(int status, String output) {}

    private Outcome exec(String script) throws CniException {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of("-f", "-"));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new CniException(
                    CniErrorCode.KERNEL,
                    "ipMasq needs nftables' nft command (Debian: apt install nftables): " + e.getMessage());
        }
        try {
            try (OutputStream in = p.getOutputStream()) {
                in.write(script.getBytes(StandardCharsets.US_ASCII));
            }
            String output;
            try (InputStream out = p.getInputStream()) {
                output = new String(out.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!p.waitFor(NFT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new CniException(CniErrorCode.KERNEL, "nft did not finish in " + NFT_TIMEOUT.toSeconds() + " s");
            }
            return new Outcome(p.exitValue(), output);
        } catch (IOException e) {
            p.destroyForcibly();
            throw new CniException(CniErrorCode.KERNEL, "running nft failed: " + e.getMessage());
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new CniException(CniErrorCode.KERNEL, "interrupted running nft");
        }
    }

    private static String nftBinary() {
        for (String p : List.of("/usr/sbin/nft", "/sbin/nft", "/usr/bin/nft")) {
            if (Files.isExecutable(Path.of(p))) {
                return p;
            }
        }
        return "nft";
    }
}
