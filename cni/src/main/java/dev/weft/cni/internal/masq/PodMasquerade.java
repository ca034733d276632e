package dev.weft.cni.internal.masq;

import dev.weft.cni.internal.spec.CniException;
import java.net.Inet4Address;
import java.util.Collection;

/**
 * Source NAT for the traffic of pods whose configuration says {@code ipMasq: true}: packets from
 * such a pod that leave the node for a destination outside the cluster's pod range get the node's
 * address as source. Traffic to other pods (on this node or across the mesh) keeps the pod's own.
 *
 * <p>Thread-safe; every method blocks on the kernel and throws {@link CniException} (code {@code KERNEL},
 * 101) naming what failed.
 */
public interface PodMasquerade extends AutoCloseable {

    /**
     * Installs Weft's rules so that exactly {@code pods} are masqueraded, replacing what an earlier
     * install left. Idempotent; touches no rule outside Weft's own table.
     */
    void install(Collection<Inet4Address> pods) throws CniException;

    /** Masquerades {@code pod}'s traffic leaving the cluster. Idempotent. */
    void add(Inet4Address pod) throws CniException;

    /** Stops masquerading {@code pod}. Idempotent: nothing to remove is fine. */
    void remove(Inet4Address pod) throws CniException;

    /** Whether {@code pod} is masqueraded (the rules are there and name it). */
    boolean covers(Inet4Address pod) throws CniException;

    /** Releases what talks to the kernel; the rules stay. Idempotent. */
    @Override
    void close();
}
