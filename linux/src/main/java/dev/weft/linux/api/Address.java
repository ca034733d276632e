package dev.weft.linux.api;

/**
 * An address assigned to a link, as the kernel reported it.
 *
 * @param linkIndex index of the link it is on
 * @param prefix the address and prefix length ({@code 10.0.0.1/24})
 * @param scope {@code RT_SCOPE_*}: 0 global, 253 link, 254 host
 * @param flags {@code IFA_F_*} flags (0x40 tentative, 0x80 permanent, ...)
 * @param label the IPv4 label (usually the link name), empty for IPv6
 */
public record Address(int linkIndex, IpPrefix prefix, int scope, int flags, String label) {
    /** IFA_F_TENTATIVE: IPv6 duplicate address detection has not finished. */
    public boolean isTentative() {
        return (flags & 0x40) != 0;
    }
}
