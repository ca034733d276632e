package dev.weft.fastpath.internal.odp;

/**
 * A kernel datapath: its name (also the name of its internal "local" port's netdev) and that
 * netdev's ifindex, which every later request carries in its {@code ovs_header}.
 */
public record OdpDatapath(int ifindex, String name) {}
