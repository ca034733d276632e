package dev.weft.cni.internal.server;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.cni.internal.spec.CniCommand;
import dev.weft.cni.internal.spec.CniErrorCode;
import dev.weft.cni.internal.spec.CniException;
import dev.weft.cni.internal.spec.CniRequest;
import dev.weft.cni.internal.spec.CniVersion;
import dev.weft.cni.internal.spec.RequestParser;
import dev.weft.cni.internal.wire.ShimRequest;
import dev.weft.cni.internal.wire.ShimResponse;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router side of every CNI invocation: validates it, runs the verb under the right lock and
 * turns the outcome into what the shim prints (result or error object on stdout, exit status).
 * Thread-safe: call from one thread per request.
 */
public final class CniHandler {
    private static final Logger log = LoggerFactory.getLogger(CniHandler.class);

    private final ContainerLocks locks = new ContainerLocks();
    private final AddOperation add;
    private final DelOperation del;
    private final CheckOperation check;
    private final GcOperation gc;
    private final StatusOperation status;

    public CniHandler(NodeContext node) {
        this.add = new AddOperation(node);
        this.del = new DelOperation(node);
        this.check = new CheckOperation(node);
        this.gc = new GcOperation(node);
        this.status = new StatusOperation(node);
    }

    /** Handles one invocation; never throws (every failure becomes an error object). Blocks. */
    public ShimResponse handle(ShimRequest raw) {
        StringBuilder stderr = new StringBuilder();
        CniVersion errorVersion = RequestParser.versionForErrors(raw.config());
        try {
            if (raw.command().equals("VERSION")) {
                return ShimResponse.of(0, version(raw));
            }
            CniRequest req = RequestParser.parse(raw);
            String stdout = run(req, stderr);
            log.debug("CNI {} {} ok", req.command(), req.attachment());
            return new ShimResponse(0, bytes(stdout), bytes(stderr.toString()));
        } catch (CniException e) {
            log.info(
                    "CNI {} {}/{} failed with code {}: {}",
                    raw.command(),
                    raw.containerId(),
                    raw.ifname(),
                    e.code(),
                    e.getMessage());
            return new ShimResponse(1, bytes(error(errorVersion, e).toString() + "\n"), bytes(stderr.toString()));
        } catch (RuntimeException e) {
            log.error("CNI {} {}/{} failed unexpectedly", raw.command(), raw.containerId(), raw.ifname(), e);
            CniException internal =
                    new CniException(CniErrorCode.INTERNAL, "weft router failed unexpectedly", e.toString());
            return new ShimResponse(
                    1, bytes(error(errorVersion, internal).toString() + "\n"), bytes(stderr.toString()));
        }
    }

    /** The locks, so the DEL-queue drain can run exclusively. */
    public ContainerLocks locks() {
        return locks;
    }

    private String run(CniRequest req, StringBuilder stderr) throws CniException {
        CniCommand c = req.command();
        if (c == CniCommand.GC) {
            try (var held = locks.exclusive()) {
                gc.run(req, stderr);
            }
            return "";
        }
        if (c == CniCommand.STATUS) {
            status.run(req, stderr);
            return "";
        }
        try (var held = locks.container(req.containerId())) {
            return switch (c) {
                case ADD -> add.run(req, stderr) + "\n";
                case DEL -> {
                    del.run(req, stderr);
                    yield "";
                }
                case CHECK -> {
                    check.run(req, stderr);
                    yield "";
                }
                default -> throw new IllegalStateException("unreachable: " + c);
            };
        }
    }

    /** The error object a runtime reads from stdout. */
    public static ObjectNode error(CniVersion version, CniException e) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("cniVersion", version.text());
        o.put("code", e.code());
        o.put("msg", e.getMessage());
        if (e.details() != null && !e.details().isEmpty()) {
            o.put("details", e.details());
        }
        return o;
    }

    private static String version(ShimRequest raw) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        String asked = "";
        try {
            asked = RequestParser.JSON.readTree(raw.config()).path("cniVersion").asText("");
        } catch (java.io.IOException | RuntimeException e) {
            // VERSION ignores a broken stdin, as libcni's skeleton does
        }
        o.put("cniVersion", asked.matches("[0-9]+\\.[0-9]+\\.[0-9]+") ? asked : CniVersion.V1_1_0.text());
        CniVersion.supported().forEach(o.putArray("supportedVersions")::add);
        return o + "\n";
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
