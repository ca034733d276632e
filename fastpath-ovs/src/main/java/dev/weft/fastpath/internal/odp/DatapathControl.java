package dev.weft.fastpath.internal.odp;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * The operations the {@link OdpForwarder} needs on one datapath: the kernel's ({@link
 * BoundDatapath}) in production, a recording fake in protocol tests. Same contracts as the
 * {@link OdpClient} methods of the same names.
 */
public interface DatapathControl {
    void installFlow(OdpFlowKey key, List<OdpAction> actions);

    void execute(ByteBuffer frame, int inPort, List<OdpAction> actions);

    void flushFlows();

    List<OdpFlow> flows();

    boolean deleteFlow(OdpFlowKey key);

    boolean clearFlowStats(OdpFlowKey key);
}
