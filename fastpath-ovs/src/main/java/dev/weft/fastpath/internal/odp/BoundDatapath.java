package dev.weft.fastpath.internal.odp;

import java.nio.ByteBuffer;
import java.util.List;

/** {@link DatapathControl} for one kernel datapath through an {@link OdpClient}. Thread-safe. */
public record BoundDatapath(OdpClient client, OdpDatapath datapath) implements DatapathControl {
    @Override
    public void installFlow(OdpFlowKey key, List<OdpAction> actions) {
        client.installFlow(datapath, key, actions);
    }

    @Override
    public void execute(ByteBuffer frame, int inPort, List<OdpAction> actions) {
        client.execute(datapath, frame, inPort, actions);
    }

    @Override
    public void flushFlows() {
        client.flushFlows(datapath);
    }

    @Override
    public List<OdpFlow> flows() {
        return client.flows(datapath);
    }

    @Override
    public boolean deleteFlow(OdpFlowKey key) {
        return client.deleteFlow(datapath, key);
    }

    @Override
    public boolean clearFlowStats(OdpFlowKey key) {
        return client.clearFlowStats(datapath, key);
    }
}
