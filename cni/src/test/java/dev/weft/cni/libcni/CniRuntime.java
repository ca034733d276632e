package dev.weft.cni.libcni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A CNI runtime in Java that executes plugin binaries the way libcni (containerd, CRI-O) does:
 *
 * <ul>
 *   <li>R01 picks the highest version of {@code cniVersion} and {@code cniVersions} it supports;
 *   <li>R02 builds each plugin's request config: the plugin object with {@code cniVersion} and
 *       {@code name} injected, {@code capabilities} removed, {@code runtimeConfig} = declared
 *       capabilities that the caller supplied, unknown keys untouched;
 *   <li>R03 no prevResult for the first ADD plugin, each later one gets the previous result, DEL
 *       and CHECK get the cached final result;
 *   <li>R04 DEL in reverse order, the chain stops at the first ADD/DEL/CHECK error, GC runs every
 *       plugin and aggregates errors;
 *   <li>R05 honours disableCheck/disableGC and never CHECKs without a cached result;
 *   <li>R06 caches the final ADD result in {@code <cacheDir>/results/<net>-<cid>-<ifname>};
 *   <li>R07 one operation at a time per container, GC exclusive;
 *   <li>R08 executes plugins with the inherited environment plus the CNI variables, in this
 *       process's netns, with {@code CNI_PATH} set;
 *   <li>R09 retries exec on "text file busy" and reads the error object from stdout, falling
 *       back to stderr.
 * </ul>
 *
 * Every execution is recorded ({@link #invocations()}) so tests can assert order and inputs.
 */
public final class CniRuntime {
    /** The versions this runtime speaks (libcni 1.2+). */
    public static final List<String> SUPPORTED = List.of("0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0");

    private final List<Path> pluginPath;
    private final Path cacheDir;
    private final Map<String, String> inheritedEnv;
    private final Duration timeout;
    private final Optional<Path> netns;
    private final ReentrantReadWriteLock gcLock = new ReentrantReadWriteLock();
    private final Map<String, ReentrantLock> containerLocks = new ConcurrentHashMap<>();
    private final List<Invocation> invocations = Collections.synchronizedList(new ArrayList<>());

    /** One plugin execution: type, verb, environment and stdin as sent. */
    public record Invocation(String type, String command, Map<String, String> env, ObjectNode stdin, PluginRun run) {}

    /**
     * The attachment parameters (libcni's RuntimeConf).
     *
     * @param args {@code CNI_ARGS} pairs in order
     * @param capabilityArgs values for capabilities ({@code portMappings}, {@code ips}, ...)
     */
    public record Attachment(
            String containerId,
            String netns,
            String ifname,
            List<Map.Entry<String, String>> args,
            Map<String, JsonNode> capabilityArgs) {
        public Attachment {
            args = List.copyOf(args);
            capabilityArgs = Map.copyOf(capabilityArgs);
        }

        /** An attachment with no CNI_ARGS and no capability arguments. */
        public static Attachment of(String containerId, String netns, String ifname) {
            return new Attachment(containerId, netns, ifname, List.of(), Map.of());
        }
    }

    /**
     * @param pluginPath CNI_PATH, in order
     * @param cacheDir the result cache root (libcni default {@code /var/lib/cni})
     * @param inheritedEnv the runtime's own environment, which plugins inherit
     */
    public CniRuntime(List<Path> pluginPath, Path cacheDir, Map<String, String> inheritedEnv) {
        this(pluginPath, cacheDir, inheritedEnv, Optional.empty());
    }

    /**
     * @param netns the namespace the runtime "runs in": plugins are executed inside it (through
     *     nsenter) so that host-side changes (portmap's iptables, a bridge plugin's bridge) stay
     *     in a test namespace; empty: this process's namespace
     */
    public CniRuntime(List<Path> pluginPath, Path cacheDir, Map<String, String> inheritedEnv, Optional<Path> netns) {
        this.pluginPath = List.copyOf(pluginPath);
        this.cacheDir = cacheDir;
        this.inheritedEnv = Map.copyOf(inheritedEnv);
        this.netns = netns;
        this.timeout = Duration.ofSeconds(90);
    }

    /** Every plugin execution so far, in order. */
    public List<Invocation> invocations() {
        synchronized (invocations) {
            return List.copyOf(invocations);
        }
    }

    /** Forgets recorded invocations. */
    public void clearInvocations() {
        invocations.clear();
    }

    /** R01: the version every plugin of the list is called with. */
    public static String selectVersion(NetworkConfigList list) throws IOException {
        List<String> candidates = new ArrayList<>(list.cniVersions());
        candidates.add(list.cniVersion());
        String best = null;
        for (String v : candidates) {
            if (SUPPORTED.contains(v) && (best == null || SUPPORTED.indexOf(v) > SUPPORTED.indexOf(best))) {
                best = v;
            }
        }
        if (best == null) {
            throw new IOException("no supported CNI version in " + candidates);
        }
        return best;
    }

    /** ADD through the whole list; caches and returns the final result. */
    public ObjectNode add(NetworkConfigList list, Attachment a) throws PluginException, IOException {
        try (var held = lock(a.containerId())) {
            String version = selectVersion(list);
            ObjectNode prev = null;
            for (ObjectNode plugin : list.plugins()) {
                ObjectNode conf = requestConfig(list, plugin, version, a, true);
                if (prev != null) {
                    conf.set("prevResult", prev);
                }
                PluginRun run = invoke(plugin.get("type").asText(), "ADD", a, conf);
                prev = (ObjectNode) NetworkConfigList.JSON.readTree(run.stdout());
            }
            cache(list, a, prev);
            return prev;
        }
    }

    /** CHECK through the list with the cached result (no-op when disableCheck). */
    public void check(NetworkConfigList list, Attachment a) throws PluginException, IOException {
        try (var held = lock(a.containerId())) {
            if (list.disableCheck()) {
                return;
            }
            String version = selectVersion(list);
            if (SUPPORTED.indexOf(version) < SUPPORTED.indexOf("0.4.0")) {
                throw new IOException("configuration version " + version + " does not support CHECK");
            }
            ObjectNode cached = cachedResult(list, a)
                    .orElseThrow(() -> new IOException("no cached result for " + a.containerId() + ": not ADDed"));
            for (ObjectNode plugin : list.plugins()) {
                ObjectNode conf = requestConfig(list, plugin, version, a, true);
                conf.set("prevResult", cached);
                invoke(plugin.get("type").asText(), "CHECK", a, conf);
            }
        }
    }

    /** DEL through the list in reverse with the cached result; drops the cache on success. */
    public void del(NetworkConfigList list, Attachment a) throws PluginException, IOException {
        try (var held = lock(a.containerId())) {
            String version = selectVersion(list);
            Optional<ObjectNode> cached = cachedResult(list, a);
            boolean withPrev = SUPPORTED.indexOf(version) >= SUPPORTED.indexOf("0.4.0");
            List<ObjectNode> reversed = new ArrayList<>(list.plugins());
            Collections.reverse(reversed);
            for (ObjectNode plugin : reversed) {
                ObjectNode conf = requestConfig(list, plugin, version, a, true);
                if (withPrev && cached.isPresent()) {
                    conf.set("prevResult", cached.get());
                }
                invoke(plugin.get("type").asText(), "DEL", a, conf);
            }
            Files.deleteIfExists(cacheFile(list, a));
        }
    }

    /**
     * GC: every plugin gets {@code cni.dev/valid-attachments}; all run even if some fail, and the
     * failures are returned (empty: all succeeded). Cache entries of invalid attachments go too.
     */
    public List<PluginException> gc(NetworkConfigList list, List<Map.Entry<String, String>> valid) throws IOException {
        gcLock.writeLock().lock();
        try {
            List<PluginException> failures = new ArrayList<>();
            if (list.disableGC()) {
                return failures;
            }
            String version = selectVersion(list);
            if (SUPPORTED.indexOf(version) < SUPPORTED.indexOf("1.1.0")) {
                return failures;
            }
            Attachment none = Attachment.of("", "", "");
            for (ObjectNode plugin : list.plugins()) {
                ObjectNode conf = requestConfig(list, plugin, version, none, false);
                ArrayNode attachments = conf.putArray("cni.dev/valid-attachments");
                for (var v : valid) {
                    attachments.addObject().put("containerID", v.getKey()).put("ifname", v.getValue());
                }
                try {
                    invoke(plugin.get("type").asText(), "GC", none, conf);
                } catch (PluginException e) {
                    failures.add(e);
                }
            }
            return failures;
        } finally {
            gcLock.writeLock().unlock();
        }
    }

    /** STATUS: each plugin in order; the first failure is thrown. */
    public void status(NetworkConfigList list) throws PluginException, IOException {
        String version = selectVersion(list);
        if (SUPPORTED.indexOf(version) < SUPPORTED.indexOf("1.1.0")) {
            return;
        }
        Attachment none = Attachment.of("", "", "");
        for (ObjectNode plugin : list.plugins()) {
            invoke(plugin.get("type").asText(), "STATUS", none, requestConfig(list, plugin, version, none, false));
        }
    }

    /** VERSION of one plugin, as libcni's GetVersionInfo asks it. */
    public JsonNode version(String type) throws PluginException, IOException {
        ObjectNode stdin = NetworkConfigList.JSON.createObjectNode().put("cniVersion", "1.1.0");
        PluginRun run = invoke(type, "VERSION", Attachment.of("", "", ""), stdin);
        return NetworkConfigList.JSON.readTree(run.stdout());
    }

    /** The cached final ADD result, if any (R06). */
    public Optional<ObjectNode> cachedResult(NetworkConfigList list, Attachment a) throws IOException {
        Path file = cacheFile(list, a);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        JsonNode entry = NetworkConfigList.JSON.readTree(Files.readAllBytes(file));
        return entry.path("result").isObject() ? Optional.of((ObjectNode) entry.get("result")) : Optional.empty();
    }

    /**
     * Executes {@code type} once with the CNI environment for {@code command} and {@code stdin},
     * recording the invocation. Throws when the plugin fails.
     */
    public PluginRun invoke(String type, String command, Attachment a, ObjectNode stdin)
            throws PluginException, IOException {
        Map<String, String> env = environment(command, a);
        PluginRun run = exec(find(type), env, NetworkConfigList.JSON.writeValueAsBytes(stdin));
        invocations.add(new Invocation(type, command, env, stdin, run));
        if (run.exitStatus() != 0) {
            throw failure(type, run);
        }
        return run;
    }

    /** The CNI environment libcni's invoke.Args builds: inherited variables plus CNI_*. */
    public Map<String, String> environment(String command, Attachment a) {
        Map<String, String> env = new LinkedHashMap<>();
        inheritedEnv.forEach((k, v) -> {
            if (!k.startsWith("CNI_")) {
                env.put(k, v);
            }
        });
        env.put("CNI_COMMAND", command);
        env.put("CNI_CONTAINERID", a.containerId());
        env.put("CNI_NETNS", a.netns());
        StringBuilder args = new StringBuilder();
        for (var e : a.args()) {
            if (!args.isEmpty()) {
                args.append(';');
            }
            args.append(e.getKey()).append('=').append(e.getValue());
        }
        env.put("CNI_ARGS", args.toString());
        env.put("CNI_IFNAME", a.ifname());
        env.put(
                "CNI_PATH",
                String.join(":", pluginPath.stream().map(Path::toString).toList()));
        return env;
    }

    /**
     * Runs a binary with exactly {@code env} and {@code stdin} (R09: retried on "text file busy").
     * Does not interpret the outcome.
     */
    public PluginRun exec(Path binary, Map<String, String> env, byte[] stdin) throws IOException {
        Process p = null;
        for (int attempt = 0; p == null; attempt++) {
            ProcessBuilder pb = netns.isPresent()
                    ? new ProcessBuilder("/usr/bin/nsenter", "--net=" + netns.get(), binary.toString())
                    : new ProcessBuilder(binary.toString());
            pb.environment().clear();
            pb.environment().putAll(env);
            try {
                p = pb.start();
            } catch (IOException e) {
                if (attempt >= 5 || e.getMessage() == null || !e.getMessage().contains("Text file busy")) {
                    throw e;
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", ie);
                }
            }
        }
        Process proc = p;
        CompletableFuture<byte[]> out = readAsync(proc.getInputStream());
        CompletableFuture<byte[]> err = readAsync(proc.getErrorStream());
        try (OutputStream in = proc.getOutputStream()) {
            in.write(stdin);
        } catch (IOException e) {
            // the plugin need not read stdin
        }
        try {
            if (!proc.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                proc.destroyForcibly();
                throw new IOException(binary + " did not finish within " + timeout);
            }
            return new PluginRun(
                    proc.exitValue(),
                    new String(out.get(), StandardCharsets.UTF_8),
                    new String(err.get(), StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException(e.getCause());
        }
    }

    /** Finds a plugin binary by type in CNI_PATH, as libcni's FindInPath. */
    public Path find(String type) throws IOException {
        for (Path dir : pluginPath) {
            Path p = dir.resolve(type);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        throw new IOException("failed to find plugin \"" + type + "\" in path " + pluginPath);
    }

    /** R02: the request configuration for one plugin. */
    public static ObjectNode requestConfig(
            NetworkConfigList list, ObjectNode plugin, String version, Attachment a, boolean withRuntimeConfig) {
        ObjectNode conf = plugin.deepCopy();
        conf.put("cniVersion", version);
        conf.put("name", list.name());
        JsonNode caps = conf.remove("capabilities");
        if (withRuntimeConfig && caps != null && caps.isObject()) {
            ObjectNode rc = NetworkConfigList.JSON.createObjectNode();
            caps.fields().forEachRemaining(e -> {
                if (e.getValue().asBoolean(false) && a.capabilityArgs().containsKey(e.getKey())) {
                    rc.set(e.getKey(), a.capabilityArgs().get(e.getKey()));
                }
            });
            if (!rc.isEmpty()) {
                conf.set("runtimeConfig", rc);
            }
        }
        return conf;
    }

    private void cache(NetworkConfigList list, Attachment a, ObjectNode result) throws IOException {
        Path file = cacheFile(list, a);
        Files.createDirectories(file.getParent());
        ObjectNode entry = NetworkConfigList.JSON.createObjectNode();
        entry.put("kind", "cniCacheV1");
        entry.put("containerId", a.containerId());
        entry.put("ifName", a.ifname());
        entry.put("networkName", list.name());
        entry.put("config", Base64.getEncoder().encodeToString(list.bytes()));
        entry.set("result", result);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, NetworkConfigList.JSON.writeValueAsBytes(entry));
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private Path cacheFile(NetworkConfigList list, Attachment a) {
        return cacheDir.resolve("results").resolve(list.name() + "-" + a.containerId() + "-" + a.ifname());
    }

    private AutoCloseable0 lock(String containerId) {
        gcLock.readLock().lock();
        ReentrantLock l = containerLocks.computeIfAbsent(containerId, k -> new ReentrantLock());
        l.lock();
        return () -> {
            l.unlock();
            gcLock.readLock().unlock();
        };
    }

    private interface AutoCloseable0 extends AutoCloseable {
        @Override
        void close();
    }

    private static PluginException failure(String type, PluginRun run) {
        try {
            JsonNode e = NetworkConfigList.JSON.readTree(run.stdout());
            if (e != null && e.isObject() && e.has("code")) {
                return new PluginException(
                        type,
                        run.exitStatus(),
                        e.get("code").asInt(),
                        e.path("msg").asText(),
                        e.path("details").asText(null),
                        run.stdout(),
                        run.stderr());
            }
        } catch (IOException ignored) {
            // fall back to stderr
        }
        return new PluginException(type, run.exitStatus(), -1, run.stderr().strip(), null, run.stdout(), run.stderr());
    }

    private static CompletableFuture<byte[]> readAsync(InputStream in) {
        CompletableFuture<byte[]> f = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (in) {
                f.complete(in.readAllBytes());
            } catch (IOException e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    /** A copy of the environment map the tests can edit. */
    public static Map<String, String> mutable(Map<String, String> env) {
        return new HashMap<>(env);
    }
}
