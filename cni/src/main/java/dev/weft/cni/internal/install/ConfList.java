package dev.weft.cni.internal.install;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.cni.api.CniConfig;
import dev.weft.cni.internal.spec.RequestParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The network configuration list runtimes read ({@code /etc/cni/net.d/10-weft.conflist}): Weft,
 * then {@code portmap} for hostPort. Written atomically (temporary file + rename), only once the
 * router serves, and never removed on shutdown.
 */
public final class ConfList {
    private ConfList() {}

    /** The configuration for {@code config}. */
    public static ObjectNode of(CniConfig config) {
        var json = JsonNodeFactory.instance;
        ObjectNode list = json.objectNode();
        list.put("cniVersion", config.confCniVersion());
        list.put("name", config.networkName());
        var plugins = list.putArray("plugins");
        ObjectNode weft = plugins.addObject();
        weft.put("type", "weft");
        weft.put("bridge", config.bridge());
        config.mtu().ifPresent(m -> weft.put("mtu", m));
        weft.put("hairpinMode", true);
        if (config.confIpMasq()) {
            weft.put("ipMasq", true);
        }
        if (config.chainPortmap()) {
            ObjectNode portmap = plugins.addObject();
            portmap.put("type", "portmap");
            portmap.putObject("capabilities").put("portMappings", true);
            portmap.put("snat", true);
        }
        return list;
    }

    /** Writes the configuration into {@code dir} atomically; returns the file. */
    public static Path write(Path dir, String fileName, ObjectNode conf) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(fileName);
        Path tmp = dir.resolve("." + fileName + ".tmp");
        Files.write(tmp, RequestParser.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(conf));
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return file;
    }
}
