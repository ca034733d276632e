package dev.weft.linux.api;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * rtnetlink: links, addresses, routes, neighbours and bridge FDB entries of one network
 * namespace, over one {@link NetlinkSocket}.
 *
 * <p>Thread-safe: requests from several threads are serialized on the socket (each is a short
 * kernel round trip). Every operation blocks until the kernel answered and throws {@link
 * NetlinkException} (naming the object and errno) when it refused. Objects returned are
 * immutable snapshots.
 */
public final class RtNetlink implements AutoCloseable {
    private final NetlinkSocket socket;
    private final Links links = new Links(this);
    private final Addresses addresses = new Addresses(this);
    private final Routes routes = new Routes(this);
    private final Neighbours neighbours = new Neighbours(this);
    private final BridgePorts bridgePorts = new BridgePorts(this);

    private RtNetlink(NetlinkSocket socket) {
        this.socket = socket;
    }

    /** Opens rtnetlink in the calling thread's network namespace. */
    public static RtNetlink open() {
        return new RtNetlink(NetlinkSocket.open(Netlink.ROUTE));
    }

    /** Opens rtnetlink in {@code ns} (the socket is created on its thread and stays there). */
    public static RtNetlink open(NetNs ns) {
        return ns.call(RtNetlink::open);
    }

    /**
     * Opens rtnetlink in {@code ns} from the calling thread ({@link NetNs#callOnThisThread}):
     * no hand-off to the namespace's thread, which is never started for this.
     */
    public static RtNetlink openFromThisThread(NetNs ns) {
        return ns.callOnThisThread(RtNetlink::open);
    }

    public Links links() {
        return links;
    }

    public Addresses addresses() {
        return addresses;
    }

    public Routes routes() {
        return routes;
    }

    public Neighbours neighbours() {
        return neighbours;
    }

    public BridgePorts bridgePorts() {
        return bridgePorts;
    }

    /**
     * Runs {@code body} with exclusive use of the socket, for requests this API lacks. The socket
     * must not escape {@code body}.
     */
    public synchronized <T> T withSocket(Function<NetlinkSocket, T> body) {
        return body.apply(socket);
    }

    /** Closes the socket. Idempotent. */
    @Override
    public void close() {
        socket.close();
    }

    /** Builds a request in the socket's writer. */
    interface Body {
        void write(MessageWriter w);
    }

    /** Parses one reply message into a value, or null to skip it. */
    interface Parser<T> {
        T parse(NetlinkMessage m);
    }

    synchronized void request(int type, int flags, Body body, Object subject) {
        MessageWriter w = socket.writer().begin(type, flags);
        body.write(w);
        socket.request(w, MessageHandler.IGNORE, subject);
    }

    synchronized <T> T requestOne(int type, Body body, Parser<T> parser, Object subject) {
        MessageWriter w = socket.writer().begin(type, 0);
        body.write(w);
        List<T> out = new ArrayList<>(1);
        socket.request(
                w,
                m -> {
                    T v = parser.parse(m);
                    if (v != null) {
                        out.add(v);
                    }
                },
                subject);
        return out.isEmpty() ? null : out.get(0);
    }

    /** A dump, retried (up to 5 times) when the kernel reports it inconsistent. */
    synchronized <T> List<T> dump(int type, Body body, Parser<T> parser, Object subject) {
        for (int attempt = 1; ; attempt++) {
            MessageWriter w = socket.writer().begin(type, 0);
            body.write(w);
            List<T> out = new ArrayList<>();
            try {
                socket.dump(
                        w,
                        m -> {
                            T v = parser.parse(m);
                            if (v != null) {
                                out.add(v);
                            }
                        },
                        subject);
                return out;
            } catch (NetlinkException e) {
                if (e.errno() != Errno.EINTR || attempt >= 5) {
                    throw e;
                }
            }
        }
    }
}
