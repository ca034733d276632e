package dev.weft.fastpath.internal.odp;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A datapath that records what the forwarder asks of it and keeps flows like the kernel would. */
final class RecordingDatapath implements DatapathControl {
    record Executed(byte[] frame, int inPort, List<OdpAction> actions) {}

    final Map<OdpFlowKey, OdpFlow> flows = new LinkedHashMap<>();
    final List<Executed> executed = new ArrayList<>();
    int flushes;

    @Override
    public void installFlow(OdpFlowKey key, List<OdpAction> actions) {
        flows.put(key, new OdpFlow(key, actions, 0, 0, 0));
    }

    @Override
    public void execute(ByteBuffer frame, int inPort, List<OdpAction> actions) {
        byte[] copy = new byte[frame.remaining()];
        frame.duplicate().get(copy);
        executed.add(new Executed(copy, inPort, List.copyOf(actions)));
    }

    @Override
    public void flushFlows() {
        flows.clear();
        flushes++;
    }

    @Override
    public List<OdpFlow> flows() {
        return List.copyOf(flows.values());
    }

    @Override
    public boolean deleteFlow(OdpFlowKey key) {
        return flows.remove(key) != null;
    }

    @Override
    public boolean clearFlowStats(OdpFlowKey key) {
        OdpFlow flow = flows.get(key);
        if (flow == null) {
            return false;
        }
        flows.put(key, new OdpFlow(key, flow.actions(), 0, 0, 0));
        return true;
    }

    /** The kernel matched a packet on this flow at {@code usedMillis}. */
    void use(OdpFlowKey key, long usedMillis) {
        OdpFlow flow = flows.get(key);
        flows.put(key, new OdpFlow(key, flow.actions(), flow.packets() + 1, flow.bytes() + 60, usedMillis));
    }
}
