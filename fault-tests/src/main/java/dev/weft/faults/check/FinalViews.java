package dev.weft.faults.check;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.faults.history.History;
import dev.weft.faults.history.Op;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What each live node last reported, after the final heal, for one kind of read (ring,
 * topology), and when all live nodes first agreed.
 */
final class FinalViews {

    /** The last successful read of kind {@code f} per live node after the final heal. */
    static Map<String, Op> last(History h, String f) {
        Map<String, Op> last = new TreeMap<>();
        long heal = h.finalHealNanos().orElse(Long.MAX_VALUE);
        List<String> live = h.liveNodes();
        for (Op o : h.ops(f)) {
            if (o.ok() && o.result() != null && o.invokeNanos() >= heal && live.contains(o.node())) {
                last.put(o.node(), o);
            }
        }
        return last;
    }

    /**
     * The first time after the final heal at which every live node's latest read of kind {@code
     * f} satisfied {@code agreed}, or -1 if that never happened.
     */
    static long firstAgreement(History h, String f, java.util.function.Predicate<Map<String, JsonNode>> agreed) {
        long heal = h.finalHealNanos().orElse(Long.MAX_VALUE);
        List<String> live = h.liveNodes();
        List<Op> reads = new ArrayList<>();
        for (Op o : h.ops(f)) {
            if (o.ok() && o.result() != null && o.invokeNanos() >= heal && live.contains(o.node())) {
                reads.add(o);
            }
        }
        reads.sort(java.util.Comparator.comparingLong(Op::completeNanos));
        Map<String, JsonNode> latest = new TreeMap<>();
        for (Op o : reads) {
            latest.put(o.node(), o.result());
            if (latest.keySet().containsAll(live) && agreed.test(latest)) {
                return o.completeNanos();
            }
        }
        return -1;
    }

    private FinalViews() {}
}
