package dev.weft.linux.api;

import static dev.weft.linux.internal.uapi.Genl.*;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Generic netlink over one {@link NetlinkSocket}: resolves families by name through the
 * controller ({@code nlctrl}) and sends requests and dumps to any family, including ones with a
 * family-specific fixed header after {@code genlmsghdr} (e.g. OVS's {@code ovs_header}).
 *
 * <p>Message layout: 16-byte {@code nlmsghdr}, 4-byte {@code genlmsghdr} (command, version,
 * reserved), then {@link GenlFamily#headerSize()} bytes of family header, then attributes. In
 * replies, {@link #command(NetlinkMessage)} reads the command and {@code
 * m.attributes(GenericNetlink.HEADER_LENGTH + family.headerSize())} the attributes.
 *
 * <p><b>Threads.</b> {@link #request}, {@link #dump} and {@link #resolve} are thread-safe (serialized
 * on the socket). {@link #receive} is for one dedicated thread on a socket used only for
 * receiving (multicast groups, OVS upcalls to {@link #portId()}): replies to requests and
 * unsolicited messages on one socket would steal each other's messages. {@link #wakeup()} and
 * {@link #close()} work from any thread.
 */
public final class GenericNetlink implements AutoCloseable {
    /** sizeof(struct genlmsghdr). */
    public static final int HEADER_LENGTH = GENL_HDRLEN;

    private final NetlinkSocket socket;
    private final Map<Integer, String> namesById = new ConcurrentHashMap<>();

    private GenericNetlink(NetlinkSocket socket) {
        this.socket = socket;
        namesById.put(GENL_ID_CTRL, "nlctrl");
        socket.setTypeNames(id -> "genl family " + namesById.getOrDefault(id, Integer.toString(id)));
    }

    /** Opens a generic netlink socket in the calling thread's namespace. */
    public static GenericNetlink open() {
        return new GenericNetlink(NetlinkSocket.open(Netlink.GENERIC));
    }

    /** Opens one with a receive buffer of {@code receiveBufferBytes} (e.g. for large upcalls). */
    public static GenericNetlink open(int receiveBufferBytes) {
        return new GenericNetlink(NetlinkSocket.open(Netlink.GENERIC, receiveBufferBytes));
    }

    /** Opens one in {@code ns}. */
    public static GenericNetlink open(NetNs ns) {
        return ns.call(GenericNetlink::open);
    }

    /** The socket's port id: where the kernel sends upcalls addressed to this socket. */
    public int portId() {
        return socket.portId();
    }

    /** The underlying socket, for poll integration ({@code fd()}) and buffer tuning. */
    public NetlinkSocket socket() {
        return socket;
    }

    /**
     * Looks a family up by name (one round trip; callers keep the result).
     *
     * @throws NetlinkException ENOENT naming the family when the kernel has no such family (for
     *     example because its module is not loaded)
     */
    public GenlFamily resolve(String name) {
        List<GenlFamily> found = new ArrayList<>(1);
        request(
                GENL_ID_CTRL,
                CTRL_CMD_GETFAMILY,
                1,
                0,
                w -> w.attrString(CTRL_ATTR_FAMILY_NAME, name),
                m -> found.add(parseFamily(m)),
                "genl family " + name);
        if (found.isEmpty()) {
            throw new NetlinkException("genl family " + name, Errno.ENOENT, GENL_ID_CTRL, "nlctrl", "no reply");
        }
        GenlFamily f = found.get(0);
        namesById.put(f.id(), f.name());
        return f;
    }

    /** {@link #resolve}, but empty instead of ENOENT. */
    public Optional<GenlFamily> find(String name) {
        try {
            return Optional.of(resolve(name));
        } catch (NetlinkException e) {
            if (e.notFound()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Every family the kernel has, by a dump. */
    public List<GenlFamily> families() {
        List<GenlFamily> out = new ArrayList<>();
        dump(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, 0, w -> {}, m -> out.add(parseFamily(m)), "genl families");
        return out;
    }

    /**
     * Sends a request to {@code family} and delivers its replies to {@code handler} until the
     * ACK. {@code body} writes the family header (if any) and attributes after {@code
     * genlmsghdr}. Blocks for one round trip; thread-safe.
     *
     * @param flags extra {@code NLM_F_*} flags (e.g. {@link Netlink#F_ECHO}); REQUEST|ACK are added
     * @return reply messages delivered
     */
    public int request(
            GenlFamily family,
            int command,
            int flags,
            Consumer<MessageWriter> body,
            MessageHandler handler,
            Object subject) {
        return request(family.id(), command, family.version(), flags, body, handler, subject);
    }

    /** {@link #request(GenlFamily, int, int, Consumer, MessageHandler, Object)} by raw id and version. */
    public synchronized int request(
            int familyId,
            int command,
            int version,
            int flags,
            Consumer<MessageWriter> body,
            MessageHandler handler,
            Object subject) {
        MessageWriter w = begin(familyId, command, version, flags);
        body.accept(w);
        return socket.request(w, handler, subject);
    }

    /** A dump request to {@code family}; every part goes to {@code handler}. Thread-safe. */
    public int dump(
            GenlFamily family, int command, Consumer<MessageWriter> body, MessageHandler handler, Object subject) {
        return dump(family.id(), command, family.version(), 0, body, handler, subject);
    }

    /** A dump by raw id and version. */
    public synchronized int dump(
            int familyId,
            int command,
            int version,
            int flags,
            Consumer<MessageWriter> body,
            MessageHandler handler,
            Object subject) {
        MessageWriter w = begin(familyId, command, version, flags);
        body.accept(w);
        return socket.dump(w, handler, subject);
    }

    /** Joins multicast group {@code group} of {@code family} on this socket. */
    public void joinGroup(GenlFamily family, String group) {
        socket.joinGroup(family.group(group));
    }

    /**
     * Waits up to {@code timeoutMillis} (-1: forever) for unsolicited messages (multicast
     * notifications, OVS upcalls) and hands each to {@code handler}, on the calling thread.
     *
     * @return messages delivered; 0 on timeout or wakeup; -1 once closed
     */
    public int receive(MessageHandler handler, int timeoutMillis) {
        return socket.receive(handler, timeoutMillis);
    }

    /** Makes a blocked {@link #receive} return. Any thread. */
    public void wakeup() {
        socket.wakeup();
    }

    @Override
    public void close() {
        socket.close();
    }

    /** The command byte of a generic netlink message. */
    public static int command(NetlinkMessage m) {
        return m.u8(0);
    }

    /** The version byte of a generic netlink message. */
    public static int version(NetlinkMessage m) {
        return m.u8(1);
    }

    private MessageWriter begin(int familyId, int command, int version, int flags) {
        return socket.writer()
                .begin(familyId, flags)
                .putU8(command)
                .putU8(version)
                .putU16(0);
    }

    static GenlFamily parseFamily(NetlinkMessage m) {
        int id = -1;
        String name = null;
        int version = 0;
        int hdrsize = 0;
        int maxattr = 0;
        Map<String, Integer> groups = new HashMap<>();
        Attributes a = m.attributes(HEADER_LENGTH);
        while (a.next()) {
            switch (a.type()) {
                case CTRL_ATTR_FAMILY_ID -> id = a.u16();
                case CTRL_ATTR_FAMILY_NAME -> name = a.string();
                case CTRL_ATTR_VERSION -> version = a.u32();
                case CTRL_ATTR_HDRSIZE -> hdrsize = a.u32();
                case CTRL_ATTR_MAXATTR -> maxattr = a.u32();
                case CTRL_ATTR_MCAST_GROUPS -> {
                    Attributes list = a.nested();
                    while (list.next()) {
                        Attributes g = list.nested();
                        String gname = null;
                        int gid = -1;
                        while (g.next()) {
                            if (g.type() == CTRL_ATTR_MCAST_GRP_NAME) {
                                gname = g.string();
                            } else if (g.type() == CTRL_ATTR_MCAST_GRP_ID) {
                                gid = g.u32();
                            }
                        }
                        if (gname != null && gid >= 0) {
                            groups.put(gname, gid);
                        }
                    }
                }
                default -> {}
            }
        }
        if (id < 0 || name == null) {
            throw new MalformedMessageException("nlctrl family reply without id or name");
        }
        return new GenlFamily(id, name, version, hdrsize, maxattr, groups);
    }
}
