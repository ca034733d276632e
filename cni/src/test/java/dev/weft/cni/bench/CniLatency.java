package dev.weft.cni.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.cni.libcni.CniRuntime;
import dev.weft.cni.libcni.NetworkConfigList;
import dev.weft.cni.testing.CniTestbed;
import dev.weft.cni.testing.MemoryAllocator;
import dev.weft.cni.testing.Shim;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * bench/cni-latency: ADD and DEL latency of Weft's plugin (the shim, the router side warm) beside
 * Debian's bridge + host-local, in the same run, in the same kind of namespace, each plugin
 * executed the way a runtime does (fork/exec with the CNI environment and the config on stdin).
 * Sequential cycles alternate Weft, Weft with {@code ipMasq} (the router's nftables set changes on
 * every ADD and DEL) and the reference; parallel rounds alternate Weft and the reference. Prints p50
 * and p99 of each, the shim's size and peak RSS, and last {@code ratio add_p50=X} (Weft over the
 * reference: below 1 means Weft is faster).
 *
 * <p>Arguments: cycles (default 200), parallel workers (default 20).
 */
public final class CniLatency {
    private static final int WARMUP = 20;

    private final CniTestbed bed;
    private final CniRuntime rt;
    private final NetworkConfigList weft;
    private final NetworkConfigList weftMasq;
    private final NetworkConfigList reference;
    private int sequence;

    private CniLatency(CniTestbed bed) throws IOException {
        this.bed = bed;
        this.rt = bed.runtime();
        bed.stopRouter();
        bed.config(bed.config().withMasquerade("10.32.0.0/16", false));
        bed.startRouter();
        this.weft = bed.weftOnly("1.0.0");
        this.weftMasq = bed.weftOnly("1.0.0", ",\"ipMasq\":true");
        this.reference = NetworkConfigList.parse(
                """
                {"cniVersion":"1.0.0","name":"ref","plugins":[{"type":"bridge","bridge":"cniref0","isGateway":true,
                  "ipam":{"type":"host-local","subnet":"10.99.0.0/16","dataDir":"%s"}}]}"""
                        .formatted(bed.root.resolve("host-local")));
    }

    public static void main(String[] args) throws Exception {
        int cycles = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int workers = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Locale.setDefault(Locale.ROOT);
        try (CniTestbed bed = new CniTestbed(new MemoryAllocator("10.32.0.0/16", true))) {
            new CniLatency(bed).run(cycles, workers);
        }
    }

    private void run(int cycles, int workers) throws Exception {
        Path pod = bed.pod("bench");
        for (int i = 0; i < WARMUP; i++) {
            cycle(weft, pod, null, null);
            cycle(weftMasq, pod, null, null);
            cycle(reference, pod, null, null);
        }
        Samples weftSeq = new Samples();
        Samples masqSeq = new Samples();
        Samples refSeq = new Samples();
        for (int i = 0; i < cycles; i++) {
            cycle(weft, pod, weftSeq.add, weftSeq.del);
            cycle(weftMasq, pod, masqSeq.add, masqSeq.del);
            cycle(reference, pod, refSeq.add, refSeq.del);
        }
        List<Path> pods = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            pods.add(bed.pod("bench-" + w));
        }
        Samples weftPar = new Samples();
        Samples refPar = new Samples();
        int perWorker = Math.max(1, cycles / workers / 2);
        for (int round = 0; round < 2; round++) {
            parallel(weft, pods, perWorker, weftPar);
            parallel(reference, pods, perWorker, refPar);
        }
        long shimBytes = Files.size(Shim.binary());
        long[] rss = peakRssKb(pod);
        long rssAdd = rss[0];
        long rssDel = rss[1];
        System.out.printf(
                "cni-latency: %d sequential ADD+DEL cycles each, then %d parallel workers x %d cycles x 2 rounds each;"
                        + " plugins forked inside a test namespace; Weft IPAM: in-memory test allocator; reference: bridge + host-local 1.1.1%n",
                cycles, workers, perWorker);
        System.out.printf("weft       sequential  ADD %s  DEL %s%n", weftSeq.addText(), weftSeq.delText());
        System.out.printf("weft+masq  sequential  ADD %s  DEL %s%n", masqSeq.addText(), masqSeq.delText());
        System.out.printf("reference  sequential  ADD %s  DEL %s%n", refSeq.addText(), refSeq.delText());
        System.out.printf("weft       parallel    ADD %s  DEL %s%n", weftPar.addText(), weftPar.delText());
        System.out.printf("reference  parallel    ADD %s  DEL %s%n", refPar.addText(), refPar.delText());
        System.out.printf("shim: %d bytes, static; peak RSS %d KB (ADD), %d KB (DEL)%n", shimBytes, rssAdd, rssDel);
        System.out.printf(
                "ratio masq_add_p50=%.2f masq_del_p50=%.2f (weft with ipMasq / reference)%n",
                masqSeq.addP(50) / refSeq.addP(50), masqSeq.delP(50) / refSeq.delP(50));
        System.out.printf(
                "ratio add_p50=%.2f add_p99=%.2f del_p50=%.2f par_add_p50=%.2f par_add_p99=%.2f shim_rss_kb=%d%n",
                weftSeq.addP(50) / refSeq.addP(50),
                weftSeq.addP(99) / refSeq.addP(99),
                weftSeq.delP(50) / refSeq.delP(50),
                weftPar.addP(50) / refPar.addP(50),
                weftPar.addP(99) / refPar.addP(99),
                Math.max(rssAdd, rssDel));
    }

    private void parallel(NetworkConfigList list, List<Path> pods, int perWorker, Samples into) throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(pods.size())) {
            List<Future<?>> fs = new ArrayList<>();
            for (Path pod : pods) {
                fs.add(pool.submit(() -> {
                    for (int i = 0; i < perWorker; i++) {
                        cycle(list, pod, into.add, into.del);
                    }
                    return null;
                }));
            }
            for (var f : fs) {
                f.get();
            }
        }
    }

    /** One ADD then DEL (with the ADD's result as prevResult, as a runtime sends it). */
    private void cycle(NetworkConfigList list, Path pod, List<Double> adds, List<Double> dels) throws Exception {
        String id;
        synchronized (this) {
            id = "bench-" + (++sequence);
        }
        var a = CniRuntime.Attachment.of(id, pod.toString(), "eth0");
        ObjectNode conf = CniRuntime.requestConfig(list, list.plugins().get(0), "1.0.0", a, true);
        String type = conf.get("type").asText();
        long t0 = System.nanoTime();
        Run add = exec(type, "ADD", a, conf);
        long t1 = System.nanoTime();
        if (add.exit != 0) {
            throw new IllegalStateException(type + " ADD failed: " + add.stdout + add.stderr);
        }
        JsonNode result = NetworkConfigList.JSON.readTree(add.stdout);
        conf.set("prevResult", result);
        long t2 = System.nanoTime();
        Run del = exec(type, "DEL", a, conf);
        long t3 = System.nanoTime();
        if (del.exit != 0) {
            throw new IllegalStateException(type + " DEL failed: " + del.stdout + del.stderr);
        }
        if (adds != null) {
            adds.add((t1 - t0) / 1e6);
            dels.add((t3 - t2) / 1e6);
        }
    }

    private record Run(int exit, String stdout, String stderr) {}

    /** fork/exec from the host namespace's thread: the child starts in that namespace. */
    private Run exec(String type, String command, CniRuntime.Attachment a, ObjectNode conf, String... wrapper)
            throws Exception {
        List<String> cmd = new ArrayList<>(Arrays.asList(wrapper));
        cmd.add(rt.find(type).toString());
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().clear();
        pb.environment().putAll(rt.environment(command, a));
        Process p = bed.host.call(pb::start);
        try (var in = p.getOutputStream()) {
            in.write(NetworkConfigList.JSON.writeValueAsBytes(conf));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), out, err);
    }

    /** Peak RSS of the shim for one ADD and the DEL after it, by GNU time. */
    private long[] peakRssKb(Path pod) throws Exception {
        var a = CniRuntime.Attachment.of("bench-rss", pod.toString(), "eth0");
        ObjectNode conf = CniRuntime.requestConfig(weft, weft.plugins().get(0), "1.0.0", a, true);
        long[] kb = new long[2];
        String[] verbs = {"ADD", "DEL"};
        for (int i = 0; i < 2; i++) {
            Run r = exec("weft", verbs[i], a, conf, "/usr/bin/time", "-f", "%M");
            if (r.exit != 0) {
                throw new IllegalStateException("weft " + verbs[i] + " under time failed: " + r.stdout + r.stderr);
            }
            String[] lines = r.stderr.strip().split("\n");
            kb[i] = Long.parseLong(lines[lines.length - 1].strip());
        }
        return kb;
    }

    private static final class Samples {
        final List<Double> add = Collections.synchronizedList(new ArrayList<>());
        final List<Double> del = Collections.synchronizedList(new ArrayList<>());

        double addP(int p) {
            return percentile(add, p);
        }

        double delP(int p) {
            return percentile(del, p);
        }

        String addText() {
            return String.format("p50=%6.2f ms p99=%6.2f ms", addP(50), addP(99));
        }

        String delText() {
            return String.format("p50=%6.2f ms p99=%6.2f ms", delP(50), delP(99));
        }

        static double percentile(List<Double> xs, int p) {
            List<Double> s;
            synchronized (xs) {
                s = new ArrayList<>(xs);
            }
            Collections.sort(s);
            int i = (int) Math.ceil(p / 100.0 * s.size()) - 1;
            return s.get(Math.max(0, Math.min(s.size() - 1, i)));
        }
    }
}
