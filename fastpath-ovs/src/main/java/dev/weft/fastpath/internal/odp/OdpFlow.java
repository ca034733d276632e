package dev.weft.fastpath.internal.odp;

import java.util.List;

/**
 * A flow as the kernel reports it: match, actions, counters, and when it last matched a packet
 * ({@code usedMillis}: the kernel's monotonic milliseconds, 0 if never since install or the last
 * stats clear).
 */
public record OdpFlow(OdpFlowKey key, List<OdpAction> actions, long packets, long bytes, long usedMillis) {
    public OdpFlow {
        actions = List.copyOf(actions);
    }
}
