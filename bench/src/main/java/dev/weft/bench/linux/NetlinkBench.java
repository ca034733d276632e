package dev.weft.bench.linux;

import dev.weft.linux.api.GenericNetlink;
import dev.weft.linux.api.GenlFamily;
import dev.weft.linux.api.IpPrefix;
import dev.weft.linux.api.Link;
import dev.weft.linux.api.LinkSpec;
import dev.weft.linux.api.MessageHandler;
import dev.weft.linux.api.MessageWriter;
import dev.weft.linux.api.NetNs;
import dev.weft.linux.api.NetlinkSocket;
import dev.weft.linux.api.RtNetlink;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Netlink request latency (one thread, round trip to the kernel and back, including building
 * the request and parsing the reply into records). {@code rawGetLinkFloor} is the baseline: the
 * same RTM_GETLINK through the bare socket with a prebuilt message and no parsing.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class NetlinkBench {
    private NetNs ns;
    private RtNetlink rt;
    private NetlinkSocket raw;
    private GenericNetlink genl;
    private int bridge;
    private final IpPrefix address = IpPrefix.parse("10.77.0.1/24");

    @Setup(Level.Trial)
    public void setUp() {
        ns = BenchNamespace.create("nl");
        rt = RtNetlink.open(ns);
        rt.links().create(LinkSpec.bridge("br0"));
        bridge = rt.links().get("br0").index();
        raw = ns.call(() -> NetlinkSocket.open(0));
        genl = GenericNetlink.open(ns);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        rt.close();
        raw.close();
        genl.close();
        BenchNamespace.delete(ns);
    }

    @Benchmark
    public Link linkGet() {
        return rt.links().get("br0");
    }

    @Benchmark
    public int addressAddDelete() {
        rt.addresses().add(bridge, address);
        rt.addresses().delete(bridge, address);
        return bridge;
    }

    @Benchmark
    public GenlFamily genlResolve() {
        return genl.resolve("nlctrl");
    }

    @Benchmark
    public int rawGetLinkFloor() {
        // RTM_GETLINK, struct ifinfomsg with the bridge's index.
        MessageWriter w =
                raw.writer().begin(18, 0).putU32(0).putU32(bridge).putU32(0).putU32(0);
        return raw.request(w, MessageHandler.IGNORE, "bench");
    }
}
