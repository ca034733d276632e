package dev.weft.faults.check;

import dev.weft.faults.history.Fn;
import dev.weft.faults.history.History;
import dev.weft.faults.history.Op;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The intervals during which pods certainly held addresses, derived from a history: from the
 * completion of a successful ALLOCATE until the invocation of the pod's next RELEASE that did not
 * certainly fail, or the removal of its node; a pod still holding its address when the history
 * ends holds it for ever ({@link Long#MAX_VALUE}). Counting only certain
 * holding keeps the uniqueness check free of false alarms: an address is a duplicate only if two
 * pods certainly held it at the same moment.
 */
final class PodHolds {

    /**
     * One pod certainly holding one address.
     *
     * @param pod the pod
     * @param node the node it lives on
     * @param address the address without prefix length
     * @param fromNanos start (allocation acknowledged)
     * @param toNanos end (release invoked, node removed), {@link Long#MAX_VALUE} if never
     * @param allocation the acknowledged ALLOCATE
     */
    record Hold(String pod, String node, String address, long fromNanos, long toNanos, Op allocation) {
        boolean overlaps(Hold o) {
            return fromNanos < o.toNanos && o.fromNanos < toNanos;
        }
    }

    private PodHolds() {}

    static List<Hold> of(History h) {
        Map<String, Long> removed = h.removedNodes();
        List<Op> releases = h.ops(Fn.RELEASE);
        List<Hold> holds = new ArrayList<>();
        for (Op a : h.ops(Fn.ALLOCATE)) {
            if (!a.ok() || a.result() == null || a.pod() == null) {
                continue;
            }
            long end = Long.MAX_VALUE;
            for (Op r : releases) {
                if (a.pod().equals(r.pod()) && !r.failed() && r.invokeNanos() >= a.completeNanos()) {
                    end = Math.min(end, r.invokeNanos());
                }
            }
            Long gone = removed.get(a.node());
            if (gone != null) {
                end = Math.min(end, gone);
            }
            holds.add(new Hold(a.pod(), a.node(), address(a.result().asText()), a.completeNanos(), end, a));
        }
        holds.sort(Comparator.comparingLong(Hold::fromNanos));
        return holds;
    }

    /** {@code 10.32.0.5/12} -> {@code 10.32.0.5}. */
    static String address(String cidr) {
        int slash = cidr.indexOf('/');
        return (slash < 0 ? cidr : cidr.substring(0, slash)).strip();
    }
}
