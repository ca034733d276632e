package dev.weft.cni.spi;

/**
 * Where a pod's host veth is plugged in: the bridge ({@link #BRIDGE}, the plugin's own behaviour),
 * or the router's kernel fast path when it takes pods (the Open vSwitch datapath: the pod's frames
 * then cross no bridge). The router implements it over its fast path; the plugin calls it after
 * creating the pair (the host end up and on the bridge), before deleting it, and from CHECK.
 *
 * <p>Thread-safe: called from many request threads at once, never twice at the same time for the
 * same veth. Every method blocks (netlink, milliseconds) and is idempotent. A {@link
 * RuntimeException} means the kernel refused: ADD fails and removes the pair.
 */
public interface PodPorts {

    /**
     * Moves {@code hostVeth} (in the router's namespace, up, on the bridge) off the bridge into the
     * fast path. False if the fast path takes no pods: the veth stays on the bridge, untouched.
     */
    boolean plug(String hostVeth);

    /**
     * Takes {@code hostVeth} out of the fast path before it is deleted (deleting it would too, but
     * the router's forwarder must forget the port). False if it was not plugged.
     */
    boolean unplug(String hostVeth);

    /** Whether {@code hostVeth} is plugged into the fast path (then it is on no bridge). */
    boolean isPlugged(String hostVeth);

    /** Every pod stays on the bridge. */
    PodPorts BRIDGE = new PodPorts() {
        @Override
        public boolean plug(String hostVeth) {
            return false;
        }

        @Override
        public boolean unplug(String hostVeth) {
            return false;
        }

        @Override
        public boolean isPlugged(String hostVeth) {
            return false;
        }

        @Override
        public String toString() {
            return "bridge";
        }
    };
}
