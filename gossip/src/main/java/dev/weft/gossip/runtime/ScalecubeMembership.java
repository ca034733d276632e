package dev.weft.gossip.runtime;

import dev.weft.gossip.internal.wire.MemberCodec;
import dev.weft.gossip.internal.wire.ProtocolException;
import dev.weft.gossip.spi.Membership;
import io.scalecube.cluster.Cluster;
import io.scalecube.cluster.ClusterImpl;
import io.scalecube.cluster.ClusterMessageHandler;
import io.scalecube.cluster.membership.MembershipEvent;
import io.scalecube.cluster.metadata.MetadataCodec;
import io.scalecube.transport.netty.tcp.TcpTransportFactory;
import java.io.ObjectInputFilter;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Membership hints from scalecube-cluster 2.7.7 (SWIM): which peers exist, where their mesh
 * listens, and whether they seem alive. Used narrowly, as ../shared/reference recommends: hints
 * only (the mesh dials what it hears of and checks everything in its own authenticated handshake;
 * "gone" never removes state), our own metadata codec ({@link MemberCodec}, bytes only), member ID
 * = peer name + UID, a cluster-unique namespace, and a JDK deserialization allow-list for
 * scalecube's own messages (its transport speaks Java serialization: anyone who can reach its port
 * may send objects, so the filter admits only the classes its protocol needs; bind it to node
 * addresses only). Reactor types never leave this class. Listener calls come on scalecube's
 * threads and only hand the hint on.
 */
public final class ScalecubeMembership implements Membership {

    private static final Logger log = LoggerFactory.getLogger(ScalecubeMembership.class);

    /** The allow-list for scalecube's Java-serialized messages (tested against its traffic). */
    public static final String SERIAL_FILTER = "io.scalecube.cluster.**;java.lang.Enum;java.lang.String;"
            + "java.lang.Long;java.lang.Integer;java.lang.Number;java.lang.Object;java.util.*;"
            + "maxdepth=20;maxbytes=2097152;!*";

    /**
     * Settings.
     *
     * @param port TCP port of the membership protocol (0: any free port; Weft's default is 6785)
     * @param seeds {@code host:port} of other peers' membership ports to join through
     * @param namespace cluster-unique name: clusters with different namespaces never merge
     * @param pingInterval SWIM probe interval (default 1 s)
     * @param syncInterval full membership sync interval, which heals partitions (default 10 s)
     */
    public record Settings(
            int port, List<String> seeds, String namespace, Duration pingInterval, Duration syncInterval) {

        public Settings {
            seeds = List.copyOf(seeds);
            Objects.requireNonNull(namespace, "namespace");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("membership port out of range: " + port);
            }
        }

        /** Defaults with this port, seeds and namespace. */
        public static Settings of(int port, List<String> seeds, String namespace) {
            return new Settings(port, seeds, namespace, Duration.ofSeconds(1), Duration.ofSeconds(10));
        }
    }

    private final Settings settings;
    private volatile Cluster cluster;
    private volatile boolean closed;

    public ScalecubeMembership(Settings settings) {
        this.settings = settings;
    }

    /** The address scalecube listens on ({@code host:port}), once started. */
    public String address() {
        Cluster c = cluster;
        return c == null ? null : c.address();
    }

    /**
     * Installs {@link #SERIAL_FILTER} as the JVM-wide deserialization filter unless one is set
     * already (the router deserializes nothing else). Idempotent.
     */
    static synchronized void installSerialFilter() {
        if (ObjectInputFilter.Config.getSerialFilter() == null) {
            ObjectInputFilter.Config.setSerialFilter(ObjectInputFilter.Config.createFilter(SERIAL_FILTER));
        }
    }

    /** Blocks until joined (or the seeds' sync timed out: scalecube then keeps trying). */
    @Override
    public void start(Member self, Listener listener) {
        installSerialFilter();
        byte[] meta = MemberCodec.encode(self);
        String id = self.name() + "-" + HexFormat.of().toHexDigits(self.uid().value());
        String[] seeds = settings.seeds().toArray(String[]::new);
        int syncMs = (int) settings.syncInterval().toMillis();
        int pingMs = (int) settings.pingInterval().toMillis();
        cluster = new ClusterImpl()
                .config(c -> c.memberId(id)
                        .memberAlias(self.nickname())
                        .metadata(meta)
                        .metadataCodec(BytesCodec.INSTANCE))
                .transport(t -> t.port(settings.port()))
                .transportFactory(TcpTransportFactory::new)
                .membership(m -> m.seedMembers(seeds)
                        .namespace(settings.namespace())
                        .syncInterval(syncMs)
                        .suspicionMult(3))
                .failureDetector(f -> f.pingInterval(pingMs).pingTimeout(Math.max(100, pingMs / 2)))
                .handler(c -> new Events(listener))
                .startAwait();
        log.info("membership (scalecube) {} listening at {}, seeds {}", id, cluster.address(), settings.seeds());
    }

    @Override
    public void close() {
        Cluster c = cluster;
        if (closed || c == null) {
            closed = true;
            return;
        }
        closed = true;
        c.shutdown();
        try {
            c.onShutdown().block(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            log.debug("membership shutdown: {}", e.toString());
        }
    }

    /** Metadata is bytes we encode ourselves: never Java serialization. */
    private enum BytesCodec implements MetadataCodec {
        INSTANCE;

        @Override
        public Object deserialize(ByteBuffer buffer) {
            byte[] b = new byte[buffer.remaining()];
            buffer.duplicate().get(b);
            return b;
        }

        @Override
        public ByteBuffer serialize(Object metadata) {
            if (!(metadata instanceof byte[] b)) {
                throw new IllegalArgumentException("metadata must be bytes");
            }
            return ByteBuffer.wrap(b.clone());
        }
    }

    /** Turns membership events into hints. */
    private final class Events implements ClusterMessageHandler {
        private final Listener listener;

        Events(Listener listener) {
            this.listener = listener;
        }

        @Override
        public void onMembershipEvent(MembershipEvent e) {
            if (closed) {
                return;
            }
            ByteBuffer meta = e.isRemoved() || e.isLeaving() ? e.oldMetadata() : e.newMetadata();
            if (meta == null) {
                return;
            }
            byte[] bytes = new byte[meta.remaining()];
            meta.duplicate().get(bytes);
            String address = e.member().address();
            String host = address == null ? null : address.substring(0, Math.max(0, address.lastIndexOf(':')));
            if (host != null && host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            Member m;
            try {
                m = MemberCodec.decode(bytes, host);
            } catch (ProtocolException ex) {
                log.warn("ignoring member {} with bad metadata: {}", e.member(), ex.getMessage());
                return;
            }
            if (e.isAdded() || e.isUpdated()) {
                listener.seen(m);
            } else {
                listener.gone(m);
            }
        }
    }
}
