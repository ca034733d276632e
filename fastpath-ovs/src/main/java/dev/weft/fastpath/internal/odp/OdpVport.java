package dev.weft.fastpath.internal.odp;

import static dev.weft.fastpath.internal.odp.OdpUapi.*;

/**
 * A port of a datapath: number (0 is the datapath's own internal port), type ({@code
 * OVS_VPORT_TYPE_*}), name, and for tunnel vports the UDP port it listens on (0 otherwise).
 */
public record OdpVport(int datapathIfindex, int portNo, int type, String name, int udpPort) {

    public boolean isVxlan() {
        return type == VPORT_TYPE_VXLAN;
    }

    public static String typeName(int type) {
        return switch (type) {
            case VPORT_TYPE_NETDEV -> "netdev";
            case VPORT_TYPE_INTERNAL -> "internal";
            case VPORT_TYPE_GRE -> "gre";
            case VPORT_TYPE_VXLAN -> "vxlan";
            case VPORT_TYPE_GENEVE -> "geneve";
            default -> "type-" + type;
        };
    }

    @Override
    public String toString() {
        return portNo + ":" + name + "(" + typeName(type) + (udpPort != 0 ? ":" + udpPort : "") + ")";
    }
}
