package dev.weft.cni.libcni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A network configuration list ({@code .conflist}) as libcni loads it.
 *
 * @param bytes the file as read, for the result cache
 */
public record NetworkConfigList(
        String name,
        String cniVersion,
        List<String> cniVersions,
        boolean disableCheck,
        boolean disableGC,
        List<ObjectNode> plugins,
        byte[] bytes) {

    /** The JSON mapper the runtime uses. */
    public static final ObjectMapper JSON = new ObjectMapper();

    public NetworkConfigList {
        cniVersions = List.copyOf(cniVersions);
        plugins = List.copyOf(plugins);
    }

    /** Parses a conflist document. */
    public static NetworkConfigList parse(String json) throws IOException {
        JsonNode n = JSON.readTree(json);
        if (!n.isObject() || !n.path("name").isTextual() || !n.path("plugins").isArray()) {
            throw new IOException("not a network configuration list: " + json);
        }
        List<ObjectNode> plugins = new ArrayList<>();
        for (JsonNode p : n.get("plugins")) {
            if (!p.isObject() || !p.path("type").isTextual()) {
                throw new IOException("plugin without a type in " + json);
            }
            plugins.add((ObjectNode) p);
        }
        List<String> versions = new ArrayList<>();
        n.path("cniVersions").forEach(v -> versions.add(v.asText()));
        return new NetworkConfigList(
                n.get("name").asText(),
                n.path("cniVersion").asText(""),
                versions,
                n.path("disableCheck").asBoolean(false),
                n.path("disableGC").asBoolean(false),
                plugins,
                json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Reads a {@code .conflist} file. */
    public static NetworkConfigList read(Path file) throws IOException {
        return parse(Files.readString(file));
    }
}
