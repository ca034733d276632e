package dev.weft.bench.linux;

import dev.weft.linux.api.NetNs;
import dev.weft.linux.api.Sysctl;
import java.security.SecureRandom;
import java.util.HexFormat;

/** A throwaway namespace per benchmark trial ("wb" + random hex), IPv6 off so no stray frames. */
final class BenchNamespace {
    private static final SecureRandom RANDOM = new SecureRandom();

    private BenchNamespace() {}

    static NetNs create(String suffix) {
        byte[] r = new byte[3];
        RANDOM.nextBytes(r);
        NetNs ns = NetNs.create("wb" + HexFormat.of().formatHex(r) + "-" + suffix);
        Sysctl.set(ns, "net.ipv6.conf.all.disable_ipv6", "1");
        Sysctl.set(ns, "net.ipv6.conf.default.disable_ipv6", "1");
        return ns;
    }

    static void delete(NetNs ns) {
        String name = ns.name();
        ns.close();
        NetNs.delete(name);
    }
}
