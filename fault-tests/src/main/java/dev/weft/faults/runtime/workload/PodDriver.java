package dev.weft.faults.runtime.workload;

/**
 * How the workload gives a pod an address and takes it back: through the router's IPAM HTTP API
 * ({@link IpamApiDriver}) or as kubelet does, through the CNI plugin ({@link CniDriver}).
 * Implementations block the calling worker thread for at most their timeout.
 */
interface PodDriver {

    /** What happened to one request. */
    enum Kind {
        /** It took effect. */
        OK,
        /** It certainly did not take effect. */
        FAIL,
        /** It may or may not have taken effect (timeout, broken connection, plugin error). */
        UNKNOWN
    }

    /**
     * @param kind the outcome
     * @param address the pod's address for a successful add ({@code a.b.c.d/len}), else null
     * @param error why it failed or is unknown, else null
     */
    record Result(Kind kind, String address, String error) {}

    /** Creates pod {@code pod} with an address (idempotent for the same pod). */
    Result add(String pod);

    /** Deletes pod {@code pod}, freeing its address (idempotent). */
    Result del(String pod);

    /** A short name for the history's metadata: {@code ipam-api} or {@code cni}. */
    String name();
}
