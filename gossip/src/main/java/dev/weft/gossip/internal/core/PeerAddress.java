package dev.weft.gossip.internal.core;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/** Parses and prints peer addresses: {@code host}, {@code host:port}, {@code [v6]:port}, {@code v6}. */
public final class PeerAddress {

    private PeerAddress() {}

    /**
     * Parses {@code text}; IP literals are resolved without DNS, host names stay unresolved (the
     * transport resolves them when dialling).
     *
     * @throws IllegalArgumentException with the reason
     */
    public static InetSocketAddress parse(String text, int defaultPort) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty peer address");
        }
        String s = text.strip();
        String host;
        int port = defaultPort;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("unbalanced '[' in " + text);
            }
            host = s.substring(1, close);
            String rest = s.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new IllegalArgumentException("expected ':port' after ']' in " + text);
                }
                port = port(rest.substring(1), text);
            }
        } else {
            int colon = s.indexOf(':');
            if (colon >= 0 && s.indexOf(':', colon + 1) < 0) {
                host = s.substring(0, colon);
                port = port(s.substring(colon + 1), text);
            } else {
                host = s; // no colon, or a bare IPv6 literal
            }
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("missing host in " + text);
        }
        if (!host.matches("[A-Za-z0-9._:%-]+")) {
            throw new IllegalArgumentException("invalid host '" + host + "' in " + text);
        }
        try {
            return new InetSocketAddress(InetAddress.ofLiteral(host), port);
        } catch (IllegalArgumentException notLiteral) {
            if (host.contains(":")) {
                throw new IllegalArgumentException("invalid IPv6 address '" + host + "' in " + text, notLiteral);
            }
            return InetSocketAddress.createUnresolved(host, port);
        }
    }

    private static int port(String p, String text) {
        try {
            int v = Integer.parseInt(p);
            if (v < 1 || v > 65535) {
                throw new IllegalArgumentException("port out of range in " + text);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid port '" + p + "' in " + text, e);
        }
    }

    /** {@code ip:port} or {@code [v6]:port} (or {@code host:port} when unresolved). */
    public static String format(InetSocketAddress a) {
        String host = a.isUnresolved() ? a.getHostString() : a.getAddress().getHostAddress();
        if (host.contains(":")) {
            return "[" + host + "]:" + a.getPort();
        }
        return host + ":" + a.getPort();
    }
}
