package dev.weft.linux.api;

import java.net.InetAddress;

/**
 * A route: what {@link Routes#add} installs and what {@link Routes#list} reports. Build one with
 * {@link #to(IpPrefix)} and the {@code with*} methods (each returns a new record).
 *
 * @param destination destination prefix ({@code 0.0.0.0/0} for a default route)
 * @param gateway next hop, or null for a directly connected route
 * @param outputIndex index of the output link, 0 for any
 * @param table routing table (254 main, 255 local)
 * @param metric priority (lower wins), 0 for the kernel's default
 * @param source preferred source address, or null
 * @param scope {@code RT_SCOPE_*}; -1 on input means "choose like iproute2" (link without a
 *     gateway, else universe)
 * @param protocol {@code RTPROT_*} origin (2 kernel, 3 boot, 4 static)
 * @param type {@code RTN_*} type (1 unicast, 2 local, 6 blackhole, ...)
 */
public record Route(
        IpPrefix destination,
        InetAddress gateway,
        int outputIndex,
        int table,
        int metric,
        InetAddress source,
        int scope,
        int protocol,
        int type) {

    public static final int TABLE_MAIN = 254;
    public static final int TABLE_LOCAL = 255;

    /** A unicast route to {@code destination} in the main table, protocol boot (as iproute2). */
    public static Route to(IpPrefix destination) {
        return new Route(destination.network(), null, 0, TABLE_MAIN, 0, null, -1, 3, 1);
    }

    public Route via(InetAddress nextHop) {
        return new Route(destination, nextHop, outputIndex, table, metric, source, scope, protocol, type);
    }

    public Route dev(int linkIndex) {
        return new Route(destination, gateway, linkIndex, table, metric, source, scope, protocol, type);
    }

    public Route inTable(int t) {
        return new Route(destination, gateway, outputIndex, t, metric, source, scope, protocol, type);
    }

    public Route withMetric(int m) {
        return new Route(destination, gateway, outputIndex, table, m, source, scope, protocol, type);
    }

    public Route withSource(InetAddress s) {
        return new Route(destination, gateway, outputIndex, table, metric, s, scope, protocol, type);
    }

    public Route withScope(int s) {
        return new Route(destination, gateway, outputIndex, table, metric, source, s, protocol, type);
    }

    public Route withType(int t) {
        return new Route(destination, gateway, outputIndex, table, metric, source, scope, protocol, t);
    }
}
