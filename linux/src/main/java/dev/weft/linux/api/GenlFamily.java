package dev.weft.linux.api;

import java.util.Map;

/**
 * A generic netlink family as the kernel's controller ({@code nlctrl}) describes it.
 *
 * @param id the netlink message type to send the family's requests with
 * @param name e.g. {@code "ovs_datapath"}
 * @param version the family's protocol version, to put in {@code genlmsghdr}
 * @param headerSize bytes of family-specific fixed header after {@code genlmsghdr} (4 for OVS's
 *     {@code ovs_header}, 0 for most)
 * @param maxAttribute the highest attribute type the family knows
 * @param multicastGroups group name to group id (join with {@link GenericNetlink#joinGroup})
 */
public record GenlFamily(
        int id, String name, int version, int headerSize, int maxAttribute, Map<String, Integer> multicastGroups) {

    public GenlFamily {
        multicastGroups = Map.copyOf(multicastGroups);
    }

    /** The id of multicast group {@code group}; IllegalArgumentException if the family has none such. */
    public int group(String group) {
        Integer id = multicastGroups.get(group);
        if (id == null) {
            throw new IllegalArgumentException("genl family " + name + " has no multicast group \"" + group
                    + "\" (it has " + multicastGroups.keySet() + ")");
        }
        return id;
    }
}
