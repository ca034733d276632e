package dev.weft.linux.api;

/**
 * How to open a TAP device. Immutable; build with {@link #named(String)} and the {@code with*}
 * methods.
 *
 * @param name interface name, or a template with {@code %d} (e.g. {@code "tap%d"}) for the kernel
 *     to complete
 * @param vnetHeader prefix every frame with a {@code virtio_net_hdr} ({@link VirtioNetHeader}),
 *     needed for checksum and segmentation offloads
 * @param vnetHeaderSize 10 ({@code virtio_net_hdr}) or 12 ({@code virtio_net_hdr_mrg_rxbuf})
 * @param offloads {@code TUN_F_*} offloads the reader accepts (only with vnetHeader): {@link
 *     #CSUM}, {@link #TSO4}, {@link #TSO6}, {@link #TSO_ECN}, {@link #USO4}, {@link #USO6}.
 *     With TSO the kernel hands over TCP super-frames of up to 64 KiB.
 * @param multiQueue open as one queue of a multi-queue device (open it again for more queues)
 */
public record TapConfig(String name, boolean vnetHeader, int vnetHeaderSize, int offloads, boolean multiQueue) {
    /** TUN_F_CSUM: the reader can take frames whose checksum is not filled in yet. */
    public static final int CSUM = 0x01;
    /** TUN_F_TSO4: TCP over IPv4 super-frames. */
    public static final int TSO4 = 0x02;
    /** TUN_F_TSO6: TCP over IPv6 super-frames. */
    public static final int TSO6 = 0x04;
    /** TUN_F_TSO_ECN: super-frames with ECN (CWR) set. */
    public static final int TSO_ECN = 0x08;
    /** TUN_F_USO4 (kernel 6.2+): UDP over IPv4 segmentation. */
    public static final int USO4 = 0x20;
    /** TUN_F_USO6 (kernel 6.2+): UDP over IPv6 segmentation. */
    public static final int USO6 = 0x40;

    public TapConfig {
        if (name == null || name.isEmpty() || name.length() > LinkSpec.MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("bad TAP name \"" + name + "\"");
        }
        if (vnetHeaderSize != 10 && vnetHeaderSize != 12) {
            throw new IllegalArgumentException("vnet header size must be 10 or 12, not " + vnetHeaderSize);
        }
        if (offloads != 0 && !vnetHeader) {
            throw new IllegalArgumentException("offloads need the vnet header");
        }
    }

    /** A plain TAP (no vnet header, single queue). */
    public static TapConfig named(String name) {
        return new TapConfig(name, false, 10, 0, false);
    }

    /** With a vnet header of {@code size} bytes and the given {@code TUN_F_*} offloads. */
    public TapConfig withVnetHeader(int size, int offloadFlags) {
        return new TapConfig(name, true, size, offloadFlags, multiQueue);
    }

    public TapConfig withMultiQueue() {
        return new TapConfig(name, vnetHeader, vnetHeaderSize, offloads, true);
    }
}
