package dev.weft.cni.internal.spec;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A CNI ADD result in the 1.1.0 model; {@link ResultCodec} renders it in every older format.
 */
public record Result(List<Interface> interfaces, List<IpConfig> ips, List<Route> routes, Optional<Dns> dns) {

    public Result {
        interfaces = List.copyOf(interfaces);
        ips = List.copyOf(ips);
        routes = List.copyOf(routes);
        Objects.requireNonNull(dns, "dns");
    }

    /** An interface the attachment created or uses; {@code sandbox} set for in-netns ones. */
    public record Interface(
            String name,
            Optional<String> mac,
            Optional<Integer> mtu,
            Optional<String> sandbox,
            Optional<String> socketPath,
            Optional<String> pciId) {
        public Interface {
            Objects.requireNonNull(name, "name");
        }

        /** An interface with a name and MAC and nothing else. */
        public static Interface of(String name, String mac) {
            return new Interface(
                    name, Optional.of(mac), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        }
    }

    /** An address; {@code interfaceIndex} points into {@link #interfaces()}. */
    public record IpConfig(IpPrefix address, Optional<InetAddress> gateway, Optional<Integer> interfaceIndex) {
        public IpConfig {
            Objects.requireNonNull(address, "address");
        }
    }

    /** A route; absent fields are the kernel's defaults. */
    public record Route(
            IpPrefix dst,
            Optional<InetAddress> gw,
            Optional<Integer> mtu,
            Optional<Integer> advmss,
            Optional<Integer> priority,
            Optional<Integer> table,
            Optional<Integer> scope) {
        public Route {
            Objects.requireNonNull(dst, "dst");
        }

        /** A route to {@code dst} via {@code gw} (empty: on-link). */
        public static Route via(IpPrefix dst, Optional<InetAddress> gw) {
            return new Route(
                    dst, gw, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        }
    }

    /** Resolver settings for the container. */
    public record Dns(List<String> nameservers, Optional<String> domain, List<String> search, List<String> options) {
        public Dns {
            nameservers = List.copyOf(nameservers);
            search = List.copyOf(search);
            options = List.copyOf(options);
        }

        /** True when nothing is set. */
        public boolean isEmpty() {
            return nameservers.isEmpty() && domain.isEmpty() && search.isEmpty() && options.isEmpty();
        }
    }
}
