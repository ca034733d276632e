package dev.weft.router.runtime;

import dev.weft.gossip.api.PeerName;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Everything {@code weft launch} was told (flags and {@code WEFT_*} environment).
 *
 * @param name the peer name, or null to load it from {@code dataDir} (or derive and persist it)
 * @param nickname the nickname (default: the host name)
 * @param password the mesh password (UTF-8 bytes), or null for an unencrypted mesh
 * @param peers addresses to connect to ({@code host}, {@code host:port})
 * @param host address the mesh listens on ({@code 0.0.0.0}: all)
 * @param port mesh TCP port (default 6783)
 * @param connectionLimit most mesh connections (default 200, 0 = unlimited)
 * @param discovery dial peers learnt from the topology (default true)
 * @param httpAddress where the HTTP API listens (default 127.0.0.1:6784)
 * @param dataDir where the router keeps its state (peer name, IPAM data)
 */
public record RouterConfig(
        PeerName name,
        String nickname,
        byte[] password,
        List<String> peers,
        String host,
        int port,
        int connectionLimit,
        boolean discovery,
        InetSocketAddress httpAddress,
        Path dataDir) {

    public RouterConfig {
        Objects.requireNonNull(nickname, "nickname");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(httpAddress, "httpAddress");
        Objects.requireNonNull(dataDir, "dataDir");
        peers = List.copyOf(peers);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (connectionLimit < 0) {
            throw new IllegalArgumentException("connection limit must be >= 0: " + connectionLimit);
        }
        if (password != null && password.length == 0) {
            password = null;
        }
    }

    /** The mesh listen address. */
    public InetSocketAddress meshAddress() {
        return new InetSocketAddress(host, port);
    }
}
