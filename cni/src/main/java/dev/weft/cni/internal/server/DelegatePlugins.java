package dev.weft.cni.internal.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.cni.internal.spec.CniCommand;
import dev.weft.cni.internal.spec.CniErrorCode;
import dev.weft.cni.internal.spec.CniException;
import dev.weft.cni.internal.spec.CniRequest;
import dev.weft.cni.internal.spec.RequestParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Runs delegated plugins (an {@code ipam.type} other than Weft's) the way the CNI spec says a
 * plugin delegates: found by type in {@code CNI_PATH}, given the same environment (the verb
 * possibly changed) and the whole configuration on stdin, its stderr copied to ours, its error
 * object (stdout) turned into our error. Thread-safe; blocks for the child process.
 */
public final class DelegatePlugins {
    /** What a delegate's PATH is when the router runs it. */
    private static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private final Duration timeout;

    /** @param timeout how long one delegate run may take before it is killed (code 11) */
    public DelegatePlugins(Duration timeout) {
        this.timeout = timeout;
    }

    /**
     * Runs {@code type} for {@code command} with the request's environment and configuration.
     *
     * @param stderr receives the delegate's stderr
     * @return the delegate's stdout as JSON, empty when it printed nothing
     */
    public Optional<JsonNode> run(String type, CniCommand command, CniRequest request, StringBuilder stderr)
            throws CniException {
        Path binary = find(type, request);
        ProcessBuilder pb = new ProcessBuilder(binary.toString());
        Map<String, String> env = pb.environment();
        env.clear();
        env.put("PATH", PATH);
        env.putAll(request.env());
        env.put("CNI_COMMAND", command.name());
        byte[] stdin;
        try {
            stdin = RequestParser.JSON.writeValueAsBytes(request.config().raw());
        } catch (IOException e) {
            throw new CniException(CniErrorCode.INTERNAL, "encoding the configuration for " + type, e.toString());
        }
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new CniException(
                    CniErrorCode.DELEGATE_FAILED, "could not run delegated plugin " + binary + ": " + e.getMessage());
        }
        try {
            CompletableFuture<byte[]> out = drain(p.getInputStream());
            CompletableFuture<byte[]> err = drain(p.getErrorStream());
            try (OutputStream in = p.getOutputStream()) {
                in.write(stdin);
            } catch (IOException e) {
                // the plugin may exit without reading stdin; its exit status tells
            }
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new CniException(
                        CniErrorCode.TRY_AGAIN_LATER,
                        "delegated plugin " + type + " did not finish " + command + " within " + timeout);
            }
            String errText = new String(err.get(), StandardCharsets.UTF_8);
            stderr.append(errText);
            byte[] stdout = out.get();
            if (p.exitValue() != 0) {
                throw failure(type, command, p.exitValue(), stdout, errText);
            }
            if (stdout.length == 0) {
                return Optional.empty();
            }
            try {
                return Optional.of(RequestParser.JSON.readTree(stdout));
            } catch (IOException e) {
                throw new CniException(
                        CniErrorCode.DELEGATE_FAILED,
                        "delegated plugin " + type + " printed something that is not JSON on " + command,
                        new String(stdout, StandardCharsets.UTF_8));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CniException(CniErrorCode.TRY_AGAIN_LATER, "interrupted while running " + type);
        } catch (ExecutionException e) {
            throw new CniException(CniErrorCode.DELEGATE_FAILED, "reading the output of " + type, e.toString());
        } finally {
            p.destroyForcibly();
        }
    }

    private static Path find(String type, CniRequest request) throws CniException {
        for (Path dir : request.cniPath()) {
            Path candidate = dir.resolve(type);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new CniException(
                CniErrorCode.INVALID_NETWORK_CONFIG,
                "delegated plugin " + type + " not found in CNI_PATH "
                        + request.env().get("CNI_PATH"));
    }

    private static CniException failure(String type, CniCommand command, int exit, byte[] stdout, String stderr) {
        try {
            JsonNode e = RequestParser.JSON.readTree(stdout);
            if (e != null && e.path("code").canConvertToInt() && e.has("msg")) {
                String details = e.path("details").asText(null);
                return new CniException(
                        e.path("code").asInt(), type + ": " + e.path("msg").asText(), details);
            }
        } catch (IOException ignored) {
            // not an error object: fall back to stderr, as libcni does
        }
        return new CniException(
                CniErrorCode.DELEGATE_FAILED,
                "delegated plugin " + type + " failed " + command + " with exit status " + exit,
                stderr.isBlank() ? new String(stdout, StandardCharsets.UTF_8) : stderr.strip());
    }

    private static CompletableFuture<byte[]> drain(InputStream in) {
        CompletableFuture<byte[]> f = new CompletableFuture<>();
        Thread.ofVirtual().name("cni-delegate-io").start(() -> {
            try (in) {
                f.complete(in.readAllBytes());
            } catch (IOException e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }
}
