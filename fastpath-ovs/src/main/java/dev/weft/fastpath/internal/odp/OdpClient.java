package dev.weft.fastpath.internal.odp;

import static dev.weft.fastpath.internal.odp.OdpUapi.*;

import dev.weft.linux.api.GenericNetlink;
import dev.weft.linux.api.KernelException;
import dev.weft.linux.api.MessageWriter;
import dev.weft.linux.api.Netlink;
import dev.weft.linux.api.NetlinkSocket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Requests to the kernel's Open vSwitch datapath over one generic netlink socket: datapaths,
 * vports, flows, packet execution. Talks to the datapaths of the network namespace the socket was
 * opened in.
 *
 * <p>Thread-safe: requests are serialized on this object; each blocks until the kernel answered
 * (microseconds to milliseconds). Kernel refusals throw {@link KernelException} with the errno
 * ({@code notFound()} for ENOENT/ENODEV, {@code alreadyExists()} for EEXIST); replies that are
 * not what the kernel sends throw {@link dev.weft.linux.api.MalformedMessageException}.
 */
public final class OdpClient implements AutoCloseable {
    private static final int ENOENT = 2;
    private static final int ENODEV = 19;

    private final GenericNetlink genl;
    private final NetlinkSocket socket;
    private final OdpFamilies families;

    private OdpClient(GenericNetlink genl, OdpFamilies families) {
        this.genl = genl;
        this.socket = genl.socket();
        this.families = families;
    }

    /**
     * Opens a socket in the calling thread's network namespace and resolves the ODP families.
     * Empty (and nothing left open) when this kernel has no openvswitch module.
     */
    public static Optional<OdpClient> open() {
        GenericNetlink genl = GenericNetlink.open();
        try {
            Optional<OdpFamilies> families = OdpFamilies.resolve(genl);
            if (families.isEmpty()) {
                genl.close();
                return Optional.empty();
            }
            return Optional.of(new OdpClient(genl, families.get()));
        } catch (RuntimeException e) {
            genl.close();
            throw e;
        }
    }

    public OdpFamilies families() {
        return families;
    }

    // ---- datapaths ----

    /**
     * Creates datapath {@code name} (and its internal netdev of the same name), sending miss
     * upcalls of its port 0 to netlink port {@code upcallPid} (0: none). Not idempotent: EEXIST if
     * it exists.
     */
    public synchronized OdpDatapath createDatapath(String name, int upcallPid) {
        MessageWriter writer = OdpCodec.begin(socket.writer(), families.datapath(), CMD_NEW, DATAPATH_VERSION, 0)
                .attrString(DP_ATTR_NAME, name)
                .attrU32(DP_ATTR_UPCALL_PID, upcallPid)
                .attrU32(DP_ATTR_USER_FEATURES, DP_F_UNALIGNED | DP_F_VPORT_PIDS);
        writer.addFlags(Netlink.F_ECHO);
        OdpDatapath[] created = new OdpDatapath[1];
        socket.request(writer, m -> created[0] = OdpCodec.decodeDatapath(m), "create datapath " + name);
        return created[0] != null ? created[0] : findDatapath(name).orElseThrow();
    }

    /** The datapath called {@code name}, if it exists. */
    public synchronized Optional<OdpDatapath> findDatapath(String name) {
        MessageWriter writer = OdpCodec.begin(socket.writer(), families.datapath(), CMD_GET, DATAPATH_VERSION, 0)
                .attrString(DP_ATTR_NAME, name);
        OdpDatapath[] found = new OdpDatapath[1];
        try {
            socket.request(writer, m -> found[0] = OdpCodec.decodeDatapath(m), "find datapath " + name);
        } catch (KernelException e) {
            if (isAbsent(e)) {
                return Optional.empty();
            }
            throw e;
        }
        return Optional.ofNullable(found[0]);
    }

    /** The datapath's counters now: flow hits, misses sent up, misses lost, flows. */
    public synchronized OdpDatapathStats datapathStats(OdpDatapath datapath) {
        MessageWriter writer = OdpCodec.begin(
                        socket.writer(), families.datapath(), CMD_GET, DATAPATH_VERSION, datapath.ifindex())
                .attrString(DP_ATTR_NAME, datapath.name());
        OdpDatapathStats[] stats = {OdpDatapathStats.NONE};
        socket.request(writer, m -> stats[0] = OdpCodec.decodeDatapathStats(m), "stats of " + datapath.name());
        return stats[0];
    }

    /** Every datapath in this namespace. */
    public synchronized List<OdpDatapath> datapaths() {
        MessageWriter writer = OdpCodec.begin(socket.writer(), families.datapath(), CMD_GET, DATAPATH_VERSION, 0);
        List<OdpDatapath> all = new ArrayList<>();
        socket.dump(writer, m -> all.add(OdpCodec.decodeDatapath(m)), "list datapaths");
        return all;
    }

    /** Deletes the datapath with all its vports and flows. Idempotent: false if it was gone. */
    public synchronized boolean deleteDatapath(OdpDatapath datapath) {
        MessageWriter writer =
                OdpCodec.begin(socket.writer(), families.datapath(), CMD_DEL, DATAPATH_VERSION, datapath.ifindex());
        return absentIsFalse(() -> socket.request(writer, m -> {}, "delete datapath " + datapath.name()));
    }

    // ---- vports ----

    /** Creates a vport; its miss upcalls go to netlink port {@code upcallPid}. EEXIST if taken. */
    public synchronized OdpVport createVport(OdpDatapath datapath, OdpVportSpec spec, int upcallPid) {
        MessageWriter writer = OdpCodec.begin(
                        socket.writer(), families.vport(), CMD_NEW, VPORT_VERSION, datapath.ifindex())
                .attrU32(VPORT_ATTR_TYPE, spec.type())
                .attrString(VPORT_ATTR_NAME, spec.name())
                .attrU32(VPORT_ATTR_UPCALL_PID, upcallPid);
        if (spec.udpPort() != 0) {
            int options = writer.beginNested(VPORT_ATTR_OPTIONS);
            writer.attrU16(TUNNEL_ATTR_DST_PORT, spec.udpPort());
            writer.endNested(options);
        }
        writer.addFlags(Netlink.F_ECHO);
        OdpVport[] created = new OdpVport[1];
        socket.request(writer, m -> created[0] = OdpCodec.decodeVport(m), "create vport " + spec.name());
        if (created[0] == null) {
            throw new IllegalStateException("the kernel did not echo the new vport " + spec.name());
        }
        return created[0];
    }

    /** Every vport of the datapath, port 0 (its own) included. */
    public synchronized List<OdpVport> vports(OdpDatapath datapath) {
        MessageWriter writer =
                OdpCodec.begin(socket.writer(), families.vport(), CMD_GET, VPORT_VERSION, datapath.ifindex());
        List<OdpVport> all = new ArrayList<>();
        socket.dump(
                writer,
                m -> {
                    OdpVport vport = OdpCodec.decodeVport(m);
                    if (vport.datapathIfindex() == datapath.ifindex()) {
                        all.add(vport);
                    }
                },
                "list vports of " + datapath.name());
        return all;
    }

    /** Points the vport's miss upcalls at netlink port {@code upcallPid}. Idempotent. */
    public synchronized void setVportUpcallPid(OdpDatapath datapath, int portNo, int upcallPid) {
        MessageWriter writer = OdpCodec.begin(
                        socket.writer(), families.vport(), CMD_SET, VPORT_VERSION, datapath.ifindex())
                .attrU32(VPORT_ATTR_PORT_NO, portNo)
                .attrU32(VPORT_ATTR_UPCALL_PID, upcallPid);
        socket.request(writer, m -> {}, "set upcall port of vport " + portNo);
    }

    /** Deletes a vport. Idempotent: false if it was gone. */
    public synchronized boolean deleteVport(OdpDatapath datapath, int portNo) {
        MessageWriter writer = OdpCodec.begin(
                        socket.writer(), families.vport(), CMD_DEL, VPORT_VERSION, datapath.ifindex())
                .attrU32(VPORT_ATTR_PORT_NO, portNo);
        return absentIsFalse(() -> socket.request(writer, m -> {}, "delete vport " + portNo));
    }

    // ---- flows ----

    /**
     * Installs a flow, or replaces the actions of the flow with the same match. Idempotent. (No
     * NLM_F_CREATE: with it the kernel refuses to touch an existing flow with EEXIST.)
     */
    public synchronized void installFlow(OdpDatapath datapath, OdpFlowKey key, List<OdpAction> actions) {
        MessageWriter writer =
                OdpCodec.begin(socket.writer(), families.flow(), CMD_NEW, FLOW_VERSION, datapath.ifindex());
        key.write(writer);
        OdpAction.writeAll(writer, FLOW_ATTR_ACTIONS, actions);
        socket.request(writer, m -> {}, "install flow " + key);
    }

    /** The flow with exactly this match, if installed. */
    public synchronized Optional<OdpFlow> getFlow(OdpDatapath datapath, OdpFlowKey key) {
        MessageWriter writer =
                OdpCodec.begin(socket.writer(), families.flow(), CMD_GET, FLOW_VERSION, datapath.ifindex());
        key.writeKeys(writer, FLOW_ATTR_KEY, false);
        OdpFlow[] found = new OdpFlow[1];
        try {
            socket.request(writer, m -> found[0] = OdpCodec.decodeFlow(m), "get flow " + key);
        } catch (KernelException e) {
            if (isAbsent(e)) {
                return Optional.empty();
            }
            throw e;
        }
        return Optional.ofNullable(found[0]);
    }

    /** Every flow of the datapath, with counters and last use. */
    public synchronized List<OdpFlow> flows(OdpDatapath datapath) {
        MessageWriter writer =
                OdpCodec.begin(socket.writer(), families.flow(), CMD_GET, FLOW_VERSION, datapath.ifindex());
        List<OdpFlow> all = new ArrayList<>();
        socket.dump(writer, m -> all.add(OdpCodec.decodeFlow(m)), "list flows of " + datapath.name());
        return all;
    }

    /** Deletes the flow with exactly this match. Idempotent: false if it was gone. */
    public synchronized boolean deleteFlow(OdpDatapath datapath, OdpFlowKey key) {
        MessageWriter writer =
                OdpCodec.begin(socket.writer(), families.flow(), CMD_DEL, FLOW_VERSION, datapath.ifindex());
        key.writeKeys(writer, FLOW_ATTR_KEY, false);
        return absentIsFalse(() -> socket.request(writer, m -> {}, "delete flow " + key));
    }

    /** Deletes every flow of the datapath (a flow delete without a key). Idempotent. */
    public synchronized void flushFlows(OdpDatapath datapath) {
        MessageWriter writer =
                OdpCodec.begin(socket.writer(), families.flow(), CMD_DEL, FLOW_VERSION, datapath.ifindex());
        socket.request(writer, m -> {}, "flush flows of " + datapath.name());
    }

    /** Resets a flow's counters and last-used time (for idle expiry). False if it was gone. */
    public synchronized boolean clearFlowStats(OdpDatapath datapath, OdpFlowKey key) {
        MessageWriter writer =
                OdpCodec.begin(socket.writer(), families.flow(), CMD_SET, FLOW_VERSION, datapath.ifindex());
        key.writeKeys(writer, FLOW_ATTR_KEY, false);
        writer.attr(FLOW_ATTR_CLEAR);
        return absentIsFalse(() -> socket.request(writer, m -> {}, "clear stats of flow " + key));
    }

    // ---- packets ----

    /**
     * Has the kernel apply {@code actions} to {@code frame} (its remaining bytes; not consumed,
     * still the caller's) as if it had arrived on {@code inPort}.
     */
    public synchronized void execute(OdpDatapath datapath, ByteBuffer frame, int inPort, List<OdpAction> actions) {
        MessageWriter writer = OdpCodec.begin(
                        socket.writer(), families.packet(), PACKET_CMD_EXECUTE, PACKET_VERSION, datapath.ifindex())
                .attrBytes(PACKET_ATTR_PACKET, frame);
        int key = writer.beginNested(PACKET_ATTR_KEY);
        writer.attrU32(KEY_ATTR_IN_PORT, inPort);
        writer.endNested(key);
        OdpAction.writeAll(writer, PACKET_ATTR_ACTIONS, actions);
        socket.request(writer, m -> {}, "execute packet");
    }

    @Override
    public void close() {
        genl.close();
    }

    private static boolean isAbsent(KernelException e) {
        return e.errno() == ENOENT || e.errno() == ENODEV;
    }

    private static boolean absentIsFalse(Runnable request) {
        try {
            request.run();
            return true;
        } catch (KernelException e) {
            if (isAbsent(e)) {
                return false;
            }
            throw e;
        }
    }
}
