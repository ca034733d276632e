package dev.weft.fastpath.internal.odp;

import static dev.weft.fastpath.internal.odp.OdpUapi.*;

import dev.weft.linux.api.Attributes;
import dev.weft.linux.api.MessageWriter;
import java.util.ArrayList;
import java.util.List;

/** A datapath action ({@code OVS_ACTION_ATTR_*}): the ones Weft's flows are made of. */
public sealed interface OdpAction {

    void write(MessageWriter writer);

    /** Send the frame out of vport {@code port}. */
    record Output(int port) implements OdpAction {
        @Override
        public void write(MessageWriter writer) {
            writer.attrU32(ACTION_ATTR_OUTPUT, port);
        }

        @Override
        public String toString() {
            return "output(" + port + ")";
        }
    }

    /** Set the tunnel metadata a following output to a VXLAN vport encapsulates with. */
    record SetTunnel(OdpTunnelKey tunnel) implements OdpAction {
        @Override
        public void write(MessageWriter writer) {
            int nest = writer.beginNested(ACTION_ATTR_SET);
            tunnel.writeSet(writer);
            writer.endNested(nest);
        }

        @Override
        public String toString() {
            return "set(" + tunnel + ")";
        }
    }

    /** Remove the outermost 802.1Q tag (frames from a VLAN-tagged port). */
    record PopVlan() implements OdpAction {
        @Override
        public void write(MessageWriter writer) {
            writer.attr(ACTION_ATTR_POP_VLAN);
        }

        @Override
        public String toString() {
            return "pop_vlan";
        }
    }

    /** An action this code does not model, read back from the kernel and kept as its type. */
    record Unknown(int type) implements OdpAction {
        @Override
        public void write(MessageWriter writer) {
            throw new UnsupportedOperationException("cannot re-send unknown action type " + type);
        }
    }

    /** Writes {@code actions} nested under {@code type} (an empty list drops the frame). */
    static void writeAll(MessageWriter writer, int type, List<OdpAction> actions) {
        int nest = writer.beginNested(type);
        for (OdpAction action : actions) {
            action.write(writer);
        }
        writer.endNested(nest);
    }

    /** Reads a nested action list in order (order matters: set before output). */
    static List<OdpAction> readAll(java.nio.ByteBuffer actions) {
        List<OdpAction> result = new ArrayList<>();
        Attributes cursor = new Attributes(actions, actions.position(), actions.limit());
        while (cursor.next()) {
            switch (cursor.type()) {
                case ACTION_ATTR_OUTPUT -> result.add(new Output(cursor.u32()));
                case ACTION_ATTR_SET -> {
                    NlAttributes set = NlAttributes.parse(actions.slice(cursor.payloadOffset(), cursor.length()));
                    if (set.has(KEY_ATTR_TUNNEL)) {
                        result.add(new SetTunnel(OdpTunnelKey.read(set.nested(KEY_ATTR_TUNNEL))));
                    } else {
                        result.add(new Unknown(ACTION_ATTR_SET));
                    }
                }
                case ACTION_ATTR_POP_VLAN -> result.add(new PopVlan());
                default -> result.add(new Unknown(cursor.type()));
            }
        }
        return result;
    }
}
