/*
 * Prints the kernel UAPI constants the linux module hard-codes, as "NAME value" lines, by
 * compiling the headers (linux-libc-dev). UapiConstantsTest builds and runs this and compares
 * every line with the Java constant of the same name, so a typo in internal/uapi cannot hide.
 */
#define _GNU_SOURCE
#include <sys/ioctl.h>
#include <stdio.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <sys/socket.h>
#include <sys/mount.h>
#include <sys/eventfd.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/if_link.h>
#include <linux/if_addr.h>
#include <linux/neighbour.h>
#include <linux/if_arp.h>
#include <linux/veth.h>
#include <linux/genetlink.h>
#include <linux/if_tun.h>
#include <linux/virtio_net.h>
#include <linux/sockios.h>
#include <linux/nsfs.h>

#define P(x) printf("%s %lld\n", #x, (long long)(x))

int main(void) {
    P(RTM_NEWLINK);
    P(RTM_DELLINK);
    P(RTM_GETLINK);
    P(RTM_SETLINK);
    P(RTM_NEWADDR);
    P(RTM_DELADDR);
    P(RTM_GETADDR);
    P(RTM_NEWROUTE);
    P(RTM_DELROUTE);
    P(RTM_GETROUTE);
    P(RTM_NEWNEIGH);
    P(RTM_DELNEIGH);
    P(RTM_GETNEIGH);
    P(RTN_UNSPEC);
    P(RTN_UNICAST);
    P(RTN_LOCAL);
    P(RTN_BROADCAST);
    P(RTN_ANYCAST);
    P(RTN_MULTICAST);
    P(RTN_BLACKHOLE);
    P(RTN_UNREACHABLE);
    P(RTN_PROHIBIT);
    P(RTPROT_UNSPEC);
    P(RTPROT_KERNEL);
    P(RTPROT_BOOT);
    P(RTPROT_STATIC);
    P(RT_SCOPE_UNIVERSE);
    P(RT_SCOPE_SITE);
    P(RT_SCOPE_LINK);
    P(RT_SCOPE_HOST);
    P(RT_SCOPE_NOWHERE);
    P(RT_TABLE_UNSPEC);
    P(RT_TABLE_MAIN);
    P(RT_TABLE_LOCAL);
    P(RTA_DST);
    P(RTA_SRC);
    P(RTA_IIF);
    P(RTA_OIF);
    P(RTA_GATEWAY);
    P(RTA_PRIORITY);
    P(RTA_PREFSRC);
    P(RTA_METRICS);
    P(RTA_TABLE);
    P(RTNLGRP_LINK);
    P(RTNLGRP_NEIGH);
    P(RTNLGRP_IPV4_IFADDR);
    P(RTNLGRP_IPV4_ROUTE);
    P(RTNLGRP_IPV6_IFADDR);
    P(RTNLGRP_IPV6_ROUTE);
    P(IFLA_ADDRESS);
    P(IFLA_BROADCAST);
    P(IFLA_IFNAME);
    P(IFLA_MTU);
    P(IFLA_LINK);
    P(IFLA_MASTER);
    P(IFLA_TXQLEN);
    P(IFLA_OPERSTATE);
    P(IFLA_LINKINFO);
    P(IFLA_NET_NS_PID);
    P(IFLA_NET_NS_FD);
    P(IFLA_EXT_MASK);
    P(IFLA_LINK_NETNSID);
    P(IFLA_CARRIER);
    P(IFLA_GSO_MAX_SIZE);
    P(IFLA_ALT_IFNAME);
    P(IFLA_NEW_IFINDEX);
    P(IFLA_INFO_KIND);
    P(IFLA_INFO_DATA);
    P(IFLA_INFO_SLAVE_KIND);
    P(IFLA_INFO_SLAVE_DATA);
    P(VETH_INFO_PEER);
    P(IFLA_VXLAN_ID);
    P(IFLA_VXLAN_GROUP);
    P(IFLA_VXLAN_LINK);
    P(IFLA_VXLAN_LOCAL);
    P(IFLA_VXLAN_TTL);
    P(IFLA_VXLAN_TOS);
    P(IFLA_VXLAN_LEARNING);
    P(IFLA_VXLAN_AGEING);
    P(IFLA_VXLAN_LIMIT);
    P(IFLA_VXLAN_PORT_RANGE);
    P(IFLA_VXLAN_PROXY);
    P(IFLA_VXLAN_RSC);
    P(IFLA_VXLAN_L2MISS);
    P(IFLA_VXLAN_L3MISS);
    P(IFLA_VXLAN_PORT);
    P(IFLA_VXLAN_GROUP6);
    P(IFLA_VXLAN_LOCAL6);
    P(IFLA_VXLAN_UDP_CSUM);
    P(IFLA_VXLAN_UDP_ZERO_CSUM6_TX);
    P(IFLA_VXLAN_UDP_ZERO_CSUM6_RX);
    P(IFLA_BR_STP_STATE);
    P(IFLA_BR_AGEING_TIME);
    P(IFLA_BR_VLAN_FILTERING);
    P(IFLA_BRPORT_LEARNING);
    P(IFLA_BRPORT_UNICAST_FLOOD);
    P(IFLA_BRPORT_MODE);
    P(IF_OPER_UNKNOWN);
    P(IF_OPER_DOWN);
    P(IF_OPER_UP);
    P(IF_OPER_LOWERLAYERDOWN);
    P(IF_OPER_DORMANT);
    P(IF_OPER_NOTPRESENT);
    P(IF_OPER_TESTING);
    P(IFA_ADDRESS);
    P(IFA_LOCAL);
    P(IFA_LABEL);
    P(IFA_BROADCAST);
    P(IFA_CACHEINFO);
    P(IFA_FLAGS);
    P(IFA_F_SECONDARY);
    P(IFA_F_NODAD);
    P(IFA_F_DADFAILED);
    P(IFA_F_TENTATIVE);
    P(IFA_F_PERMANENT);
    P(IFA_F_NOPREFIXROUTE);
    P(NDA_DST);
    P(NDA_LLADDR);
    P(NDA_CACHEINFO);
    P(NDA_PROBES);
    P(NDA_VLAN);
    P(NDA_PORT);
    P(NDA_VNI);
    P(NDA_IFINDEX);
    P(NDA_MASTER);
    P(NDA_LINK_NETNSID);
    P(NDA_SRC_VNI);
    P(NTF_USE);
    P(NTF_SELF);
    P(NTF_MASTER);
    P(NTF_PROXY);
    P(NTF_EXT_LEARNED);
    P(NTF_OFFLOADED);
    P(NTF_ROUTER);
    P(NUD_INCOMPLETE);
    P(NUD_REACHABLE);
    P(NUD_STALE);
    P(NUD_DELAY);
    P(NUD_PROBE);
    P(NUD_FAILED);
    P(NUD_NOARP);
    P(NUD_PERMANENT);
    P(NUD_NONE);
    P(IFF_UP);
    P(IFF_BROADCAST);
    P(IFF_LOOPBACK);
    P(IFF_POINTOPOINT);
    P(IFF_RUNNING);
    P(IFF_NOARP);
    P(IFF_PROMISC);
    P(IFF_MULTICAST);
    P(IFF_LOWER_UP);
    P(ARPHRD_ETHER);
    P(ARPHRD_LOOPBACK);
    P(ARPHRD_NONE);
    P(GENL_ID_CTRL);
    P(GENL_HDRLEN);
    P(CTRL_CMD_GETFAMILY);
    P(CTRL_ATTR_FAMILY_ID);
    P(CTRL_ATTR_FAMILY_NAME);
    P(CTRL_ATTR_VERSION);
    P(CTRL_ATTR_HDRSIZE);
    P(CTRL_ATTR_MAXATTR);
    P(CTRL_ATTR_OPS);
    P(CTRL_ATTR_MCAST_GROUPS);
    P(CTRL_ATTR_MCAST_GRP_NAME);
    P(CTRL_ATTR_MCAST_GRP_ID);
    P(TUNSETIFF);
    P(TUNSETPERSIST);
    P(TUNSETOWNER);
    P(TUNGETIFF);
    P(TUNSETOFFLOAD);
    P(TUNSETVNETHDRSZ);
    P(TUNGETVNETHDRSZ);
    P(TUNSETQUEUE);
    P(TUNGETFEATURES);
    P(IFF_TUN);
    P(IFF_TAP);
    P(IFF_NO_PI);
    P(IFF_ONE_QUEUE);
    P(IFF_VNET_HDR);
    P(IFF_MULTI_QUEUE);
    P(IFF_ATTACH_QUEUE);
    P(IFF_DETACH_QUEUE);
    P(IFF_NAPI);
    P(TUN_F_CSUM);
    P(TUN_F_TSO4);
    P(TUN_F_TSO6);
    P(TUN_F_TSO_ECN);
    P(TUN_F_UFO);
    P(VIRTIO_NET_HDR_F_NEEDS_CSUM);
    P(VIRTIO_NET_HDR_F_DATA_VALID);
    P(VIRTIO_NET_HDR_GSO_NONE);
    P(VIRTIO_NET_HDR_GSO_TCPV4);
    P(VIRTIO_NET_HDR_GSO_UDP);
    P(VIRTIO_NET_HDR_GSO_TCPV6);
    P(VIRTIO_NET_HDR_GSO_ECN);
    P(IFNAMSIZ);
    P(SIOCGIFFLAGS);
    P(SIOCSIFFLAGS);
    P(SIOCGIFINDEX);
    P(AF_UNSPEC);
    P(AF_INET);
    P(AF_BRIDGE);
    P(AF_INET6);
    P(AF_NETLINK);
    P(AF_PACKET);
    P(SOCK_DGRAM);
    P(SOCK_RAW);
    P(SOCK_NONBLOCK);
    P(SOCK_CLOEXEC);
    P(SOL_SOCKET);
    P(SO_SNDBUF);
    P(SO_RCVBUF);
    P(SO_SNDBUFFORCE);
    P(SO_RCVBUFFORCE);
    P(SOL_NETLINK);
    P(NETLINK_ADD_MEMBERSHIP);
    P(NETLINK_DROP_MEMBERSHIP);
    P(NETLINK_NO_ENOBUFS);
    P(NETLINK_CAP_ACK);
    P(NETLINK_EXT_ACK);
    P(NETLINK_GET_STRICT_CHK);
    P(MSG_PEEK);
    P(MSG_TRUNC);
    P(MSG_DONTWAIT);
    P(O_RDONLY);
    P(O_RDWR);
    P(O_CREAT);
    P(O_EXCL);
    P(O_NONBLOCK);
    P(O_CLOEXEC);
    P(F_GETFL);
    P(F_SETFL);
    P(POLLIN);
    P(POLLOUT);
    P(POLLERR);
    P(POLLHUP);
    P(POLLNVAL);
    P(EFD_CLOEXEC);
    P(EFD_NONBLOCK);
    P(CLONE_NEWNET);
    P(MS_BIND);
    P(MS_REC);
    P(MS_SHARED);
    P(MNT_DETACH);
    P(NS_GET_NSTYPE);
    printf("SIZEOF_RTMSG %zu\n", sizeof(struct rtmsg));
    printf("SIZEOF_IFINFOMSG %zu\n", sizeof(struct ifinfomsg));
    printf("SIZEOF_IFADDRMSG %zu\n", sizeof(struct ifaddrmsg));
    printf("SIZEOF_NDMSG %zu\n", sizeof(struct ndmsg));
    printf("SIZEOF_VIRTIO_NET_HDR %zu\n", sizeof(struct virtio_net_hdr));
    printf("SIZEOF_VIRTIO_NET_HDR_MRG_RXBUF %zu\n", sizeof(struct virtio_net_hdr_mrg_rxbuf));
    printf("SIZEOF_IFREQ %zu\n", sizeof(struct ifreq));
    return 0;
}
