package dev.weft.fastpath.internal.odp;

import static dev.weft.fastpath.internal.odp.OdpUapi.*;

/** What to create a vport as: the datapath's own kind of netdev, an existing netdev, or VXLAN. */
public record OdpVportSpec(String name, int type, int udpPort) {

    public OdpVportSpec {
        if (name.isEmpty() || name.length() > 15) {
            throw new IllegalArgumentException("a vport name has 1 to 15 characters (IFNAMSIZ - 1): " + name);
        }
        if (type == VPORT_TYPE_VXLAN ? udpPort < 1 || udpPort > 65535 : udpPort != 0) {
            throw new IllegalArgumentException("UDP port " + udpPort + " for a " + OdpVport.typeName(type) + " vport");
        }
    }

    /** A new netdev owned by the datapath (like the datapath's own port 0). */
    public static OdpVportSpec internal(String name) {
        return new OdpVportSpec(name, VPORT_TYPE_INTERNAL, 0);
    }

    /** An existing netdev (a veth end) attached to the datapath. */
    public static OdpVportSpec netdev(String name) {
        return new OdpVportSpec(name, VPORT_TYPE_NETDEV, 0);
    }

    /** A VXLAN tunnel port receiving on UDP {@code udpPort} (Weft: 6784). */
    public static OdpVportSpec vxlan(String name, int udpPort) {
        return new OdpVportSpec(name, VPORT_TYPE_VXLAN, udpPort);
    }
}
