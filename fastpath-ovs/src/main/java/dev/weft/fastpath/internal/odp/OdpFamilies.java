package dev.weft.fastpath.internal.odp;

import dev.weft.linux.api.GenericNetlink;
import dev.weft.linux.api.GenlFamily;
import java.util.Optional;

/**
 * The generic netlink family ids (and the vport multicast group id) the kernel assigned to the
 * openvswitch module's four families in this boot.
 */
public record OdpFamilies(int datapath, int vport, int flow, int packet, int vportGroup) {

    /**
     * Resolves all four families. Empty when the kernel has no openvswitch module (the families
     * are absent). Blocks for four controller round trips.
     */
    public static Optional<OdpFamilies> resolve(GenericNetlink genl) {
        Optional<GenlFamily> datapath = genl.find(OdpUapi.DATAPATH_FAMILY);
        Optional<GenlFamily> vport = genl.find(OdpUapi.VPORT_FAMILY);
        Optional<GenlFamily> flow = genl.find(OdpUapi.FLOW_FAMILY);
        Optional<GenlFamily> packet = genl.find(OdpUapi.PACKET_FAMILY);
        if (datapath.isEmpty() || vport.isEmpty() || flow.isEmpty() || packet.isEmpty()) {
            return Optional.empty();
        }
        int group = vport.get().multicastGroups().getOrDefault(OdpUapi.VPORT_MCGROUP, 0);
        return Optional.of(new OdpFamilies(
                datapath.get().id(),
                vport.get().id(),
                flow.get().id(),
                packet.get().id(),
                group));
    }
}
