package dev.weft.linux.internal.uapi;

/**
 * TUN/TAP constants, generated from the UAPI headers {@code linux/if_tun.h}, {@code
 * linux/virtio_net.h}, {@code linux/if.h} and {@code linux/sockios.h} (linux-libc-dev 6.1).
 */
public final class Tun {
    public static final long TUNSETIFF = 0x400454caL;
    public static final long TUNSETPERSIST = 0x400454cbL;
    public static final long TUNSETOWNER = 0x400454ccL;
    public static final long TUNGETIFF = 0x800454d2L;
    public static final long TUNSETOFFLOAD = 0x400454d0L;
    public static final long TUNSETVNETHDRSZ = 0x400454d8L;
    public static final long TUNGETVNETHDRSZ = 0x800454d7L;
    public static final long TUNSETQUEUE = 0x400454d9L;
    public static final long TUNGETFEATURES = 0x800454cfL;
    public static final int IFF_TUN = 0x1;
    public static final int IFF_TAP = 0x2;
    public static final int IFF_NO_PI = 0x1000;
    public static final int IFF_ONE_QUEUE = 0x2000;
    public static final int IFF_VNET_HDR = 0x4000;
    public static final int IFF_MULTI_QUEUE = 0x100;
    public static final int IFF_ATTACH_QUEUE = 0x200;
    public static final int IFF_DETACH_QUEUE = 0x400;
    public static final int IFF_NAPI = 0x10;
    public static final int TUN_F_CSUM = 0x1;
    public static final int TUN_F_TSO4 = 0x2;
    public static final int TUN_F_TSO6 = 0x4;
    public static final int TUN_F_TSO_ECN = 0x8;
    public static final int TUN_F_UFO = 0x10;
    // linux/if_tun.h since 6.2 (not yet in the 6.1 headers installed here): UDP segmentation.
    public static final int TUN_F_USO4 = 0x20;
    public static final int TUN_F_USO6 = 0x40;
    // linux/virtio_net.h
    public static final int VIRTIO_NET_HDR_F_NEEDS_CSUM = 1;
    public static final int VIRTIO_NET_HDR_F_DATA_VALID = 2;
    public static final int VIRTIO_NET_HDR_GSO_NONE = 0;
    public static final int VIRTIO_NET_HDR_GSO_TCPV4 = 1;
    public static final int VIRTIO_NET_HDR_GSO_UDP = 3;
    public static final int VIRTIO_NET_HDR_GSO_TCPV6 = 4;
    public static final int VIRTIO_NET_HDR_GSO_ECN = 128;
    public static final int SIZEOF_VIRTIO_NET_HDR = 10;
    public static final int SIZEOF_VIRTIO_NET_HDR_MRG_RXBUF = 12;
    public static final int SIZEOF_IFREQ = 40;
    public static final int IFNAMSIZ = 16;
    public static final long SIOCGIFFLAGS = 0x8913L;
    public static final long SIOCSIFFLAGS = 0x8914L;
    public static final long SIOCGIFINDEX = 0x8933L;

    private Tun() {}
}
