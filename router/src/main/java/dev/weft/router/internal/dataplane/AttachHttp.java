package dev.weft.router.internal.dataplane;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.ipam.api.Cidr;
import dev.weft.ipam.api.ContainerId;
import dev.weft.ipam.api.Ipam;
import dev.weft.ipam.api.IpamException;
import dev.weft.linux.api.IpPrefix;
import dev.weft.linux.api.KernelException;
import dev.weft.linux.api.NetNs;
import dev.weft.router.http.HttpApi;
import dev.weft.router.http.HttpApi.Request;
import dev.weft.router.http.HttpApi.Response;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * {@code POST /attach?netns=NS[&ifname=eth0]} and {@code POST /detach?netns=NS}: a network
 * namespace as a pod ({@code weft attach}/{@code detach}). Attach allocates the namespace's address
 * from IPAM (container id {@code netns:NS}), makes the veth pair with {@link PodAttacher}, and
 * answers with the address; attaching an attached namespace answers its address again (200).
 * Detach deletes the pair and frees the address; detaching a namespace that is not attached is not
 * an error. Both run one at a time on the given executor (netlink and IPAM block). Answers: 200,
 * 400 (bad name), 404 (no such namespace), 409 (the namespace has the interface already), 503
 * (IPAM not running or not ready). JSON with {@code ?format=json}.
 */
public final class AttachHttp {
    /** How long attach waits for IPAM (consensus, space from a peer). */
    static final Duration ALLOCATION_TIMEOUT = Duration.ofSeconds(30);

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.][A-Za-z0-9_.-]{0,127}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PodAttacher attacher;
    private final Supplier<Optional<Ipam>> ipam;
    private final ExecutorService executor;

    public AttachHttp(PodAttacher attacher, Supplier<Optional<Ipam>> ipam, ExecutorService executor) {
        this.attacher = attacher;
        this.ipam = ipam;
        this.executor = executor;
    }

    public void register(HttpApi http) {
        http.route("/attach", req -> on(req, "/attach", this::attach));
        http.route("/detach", req -> on(req, "/detach", this::detach));
    }

    private interface Action {
        Response run(Request req, String netns) throws Exception;
    }

    private CompletableFuture<Response> on(Request req, String path, Action action) {
        if (!req.path().equals(path) && !req.path().equals(path + "/")) {
            return CompletableFuture.completedFuture(Response.text(404, "no such endpoint: " + req.path()));
        }
        if (!req.method().equals("POST")) {
            return CompletableFuture.completedFuture(
                    Response.text(405, req.method() + " is not allowed on " + path + " (allowed: POST)"));
        }
        String netns = req.query().getOrDefault("netns", "").strip();
        String bad = checkName(netns);
        if (bad != null) {
            return CompletableFuture.completedFuture(Response.text(400, bad));
        }
        return CompletableFuture.supplyAsync(
                () -> {
                    try {
                        return action.run(req, netns);
                    } catch (IpamException e) {
                        return Response.text(e.kind().httpStatus(), "IPAM: " + e.getMessage());
                    } catch (KernelException e) {
                        return Response.text(500, "kernel: " + e.getMessage());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return Response.text(503, "the router is stopping");
                    } catch (Exception e) {
                        return Response.text(500, e.toString());
                    }
                },
                executor);
    }

    /** Null if {@code netns} is a usable name (under /run/netns) or absolute path, else why not. */
    static String checkName(String netns) {
        if (netns.isEmpty()) {
            return "no namespace given: POST /attach?netns=NAME (a name under /run/netns, or a path)";
        }
        if (netns.startsWith("/")) {
            return netns.length() > 4096 || netns.contains("\0") ? "bad namespace path" : null;
        }
        if (!NAME.matcher(netns).matches()) {
            return "bad namespace name \"" + netns
                    + "\": 1-128 characters of letters, digits, '_', '.', '-' (or give a path)";
        }
        return null;
    }

    /** The IPAM container id of {@code netns}'s attachment. */
    static ContainerId id(String netns) {
        String id = "netns:" + netns;
        if (netns.startsWith("/") || id.length() > ContainerId.MAX_LENGTH) {
            try {
                byte[] h = MessageDigest.getInstance("SHA-256").digest(netns.getBytes(StandardCharsets.UTF_8));
                id = "netns:" + HexFormat.of().formatHex(h).substring(0, 32);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is part of every JDK", e);
            }
        }
        return ContainerId.of(id);
    }

    private static Path path(String netns) {
        return netns.startsWith("/") ? Path.of(netns) : NetNs.RUN_DIR.resolve(netns);
    }

    private Response attach(Request req, String netns) throws Exception {
        Path p = path(netns);
        if (!Files.exists(p)) {
            return Response.text(404, "no network namespace " + netns + " (" + p + ")");
        }
        String ifname = req.query().getOrDefault("ifname", "eth0");
        if (ifname.isEmpty() || ifname.length() > 15 || ifname.contains("/") || ifname.contains(" ")) {
            return Response.text(400, "bad interface name \"" + ifname + "\" (1-15 characters, no '/' or space)");
        }
        Optional<Ipam> i = ipam.get();
        if (i.isEmpty()) {
            return Response.text(503, "IPAM is not running in this router: cannot give " + netns + " an address");
        }
        ContainerId id = id(netns);
        if (attacher.isAttached(netns)) {
            List<Cidr> held = await(i.get().lookup(id), Duration.ofSeconds(5));
            Optional<IpPrefix> have = attacher.address(netns, ifname);
            String address = !held.isEmpty()
                    ? held.getFirst().toString()
                    : have.map(IpPrefix::toString).orElse("?");
            return reply(req, 200, netns, address, PodAttacher.hostVethName(netns), ifname, true);
        }
        Cidr cidr =
                await(i.get().allocate(id, Optional.empty(), ALLOCATION_TIMEOUT), ALLOCATION_TIMEOUT.plusSeconds(5));
        PodAttacher.Attachment a;
        try {
            a = attacher.attach(netns, ifname, IpPrefix.parse(cidr.toString()));
        } catch (IllegalArgumentException e) {
            free(i.get(), id);
            return Response.text(409, e.getMessage());
        } catch (RuntimeException e) {
            free(i.get(), id);
            throw e;
        }
        return reply(req, 200, netns, a.address().toString(), a.hostVeth(), a.ifname(), false);
    }

    private Response detach(Request req, String netns) throws Exception {
        boolean removed = attacher.detach(netns);
        Optional<Ipam> i = ipam.get();
        List<Cidr> freed = i.isEmpty() ? List.of() : await(i.get().free(id(netns)), Duration.ofSeconds(10));
        if (req.wantsJson()) {
            ObjectNode o = JSON.createObjectNode();
            o.put("netns", netns);
            o.put("detached", removed);
            o.putPOJO("freed", freed.stream().map(Cidr::toString).toList());
            return Response.json(200, o.toString() + "\n");
        }
        String f = freed.isEmpty()
                ? ""
                : " (freed "
                        + String.join(", ", freed.stream().map(Cidr::toString).toList()) + ")";
        return Response.text(200, (removed ? "detached " + netns : netns + " was not attached") + f);
    }

    private static void free(Ipam ipam, ContainerId id) {
        try {
            ipam.free(id).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // the address stays allocated to netns:NAME; a later attach or detach reuses or frees it
        }
    }

    private static <T> T await(CompletableFuture<T> f, Duration timeout) throws Exception {
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception c) {
                throw c;
            }
            throw e;
        } catch (TimeoutException e) {
            throw new IpamException(IpamException.Kind.TIMEOUT, "no answer from IPAM within " + timeout);
        }
    }

    private static Response reply(
            Request req, int status, String netns, String address, String hostVeth, String ifname, boolean already) {
        if (req.wantsJson()) {
            ObjectNode o = JSON.createObjectNode();
            o.put("netns", netns);
            o.put("address", address);
            o.put("ifname", ifname);
            o.put("hostVeth", hostVeth);
            o.put("alreadyAttached", already);
            return Response.json(status, o.toString() + "\n");
        }
        return Response.text(
                status,
                (already ? netns + " is attached already: " : "attached " + netns + ": ") + ifname + " " + address
                        + " (host end " + hostVeth + ")");
    }
}
