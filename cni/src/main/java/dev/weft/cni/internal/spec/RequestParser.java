package dev.weft.cni.internal.spec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.cni.internal.wire.ShimRequest;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what the shim forwarded into a {@link CniRequest}, or the CNI error the runtime should see:
 * code 4 naming every missing or invalid variable, 6 for undecodable JSON, 1 for versions Weft
 * does not speak (and the library's version gates for CHECK, GC, STATUS), 2 naming the key and
 * value of an unsupported field, 7 for a field with an invalid value. Stateless, thread-safe.
 */
public final class RequestParser {
    /** The JSON reader used for every CNI document: duplicate keys and trailing data are errors. */
    public static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** {@code CNI_CONTAINERID} and network names (libcni's utils.ValidateContainerID). */
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.\\-]*");

    private static final String WEFT_IPAM = "weft-ipam";
    private static final Set<String> KEYS = Set.of(
            "cniVersion",
            "cniVersions",
            "name",
            "type",
            "bridge",
            "mtu",
            "hairpinMode",
            "ipMasq",
            "ipam",
            "dns",
            "runtimeConfig",
            "args",
            "prevResult",
            "capabilities");
    private static final Set<String> ARGS = Set.of(
            "IgnoreUnknown", "IP", "K8S_POD_NAMESPACE", "K8S_POD_NAME", "K8S_POD_INFRA_CONTAINER_ID", "K8S_POD_UID");

    private static final Logger log = LoggerFactory.getLogger(RequestParser.class);

    private RequestParser() {}

    /**
     * The version an error about this configuration should carry: its {@code cniVersion} when it
     * is a supported one, else the newest.
     */
    public static CniVersion versionForErrors(byte[] config) {
        try {
            JsonNode v = JSON.readTree(config).path("cniVersion");
            return CniVersion.parse(v.asText());
        } catch (IOException | CniException | RuntimeException e) {
            return CniVersion.V1_1_0;
        }
    }

    /** Validates one invocation (VERSION is answered by the shim and refused here). */
    public static CniRequest parse(ShimRequest raw) throws CniException {
        CniCommand command = CniCommand.of(raw.command())
                .orElseThrow(() -> new CniException(
                        CniErrorCode.INVALID_ENVIRONMENT,
                        raw.command().isEmpty()
                                ? "required environment variable CNI_COMMAND is not set"
                                : "CNI_COMMAND \"" + raw.command()
                                        + "\" is not one of ADD, DEL, CHECK, GC, STATUS, VERSION"));
        if (command == CniCommand.VERSION) {
            throw new CniException(CniErrorCode.INVALID_ENVIRONMENT, "VERSION is answered by the shim itself");
        }
        checkEnvironment(command, raw);
        PluginConfig config;
        Map<String, String> args;
        try {
            ObjectNode json = decode(raw.config());
            CniVersion version = version(json);
            gate(command, version);
            args = cniArgs(raw.args());
            config = raw.ipamOnly() ? ipamConfig(json, version, args) : pluginConfig(json, version, args);
            if (command == CniCommand.GC && !json.has("cni.dev/valid-attachments")) {
                throw invalid("GC needs cni.dev/valid-attachments (the runtime's list of live attachments)");
            }
        } catch (CniException e) {
            if (command != CniCommand.DEL) {
                throw e;
            }
            // The runtime sends DEL after every ADD, even one refused for this very config, and
            // retries a failed DEL forever: DEL cleans up by (container, ifname) whatever the config.
            log.info(
                    "DEL {}/{} with an unusable configuration ({}); cleaning up by ID",
                    raw.containerId(),
                    raw.ifname(),
                    e.getMessage());
            args = Map.of();
            config = fallback(raw.config(), raw.ipamOnly());
        }
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CNI_COMMAND", raw.command());
        env.put("CNI_CONTAINERID", raw.containerId());
        env.put("CNI_NETNS", raw.netns());
        env.put("CNI_IFNAME", raw.ifname());
        env.put("CNI_ARGS", raw.args());
        env.put("CNI_PATH", raw.path());
        List<Path> path = new ArrayList<>();
        for (String dir : raw.path().split(":")) {
            if (!dir.isEmpty()) {
                path.add(Path.of(dir));
            }
        }
        return new CniRequest(
                command,
                raw.ipamOnly(),
                raw.containerId(),
                raw.netns().isEmpty() ? Optional.empty() : Optional.of(Path.of(raw.netns())),
                raw.ifname(),
                args,
                path,
                env,
                config);
    }

    /** The configuration a DEL falls back to when its own is unusable: Weft's defaults. */
    private static PluginConfig fallback(byte[] config, boolean ipamOnly) {
        ObjectNode raw;
        try {
            raw = JSON.readTree(config) instanceof ObjectNode o ? o : JSON.createObjectNode();
        } catch (IOException | RuntimeException e) {
            raw = JSON.createObjectNode();
        }
        return new PluginConfig(
                versionForErrors(config),
                "weft",
                ipamOnly ? "" : "weft",
                Optional.empty(),
                !ipamOnly,
                false,
                new Ipam.Weft(Optional.empty()),
                Optional.empty(),
                Optional.empty(),
                List.of(),
                Optional.empty(),
                raw);
    }

    private static void checkEnvironment(CniCommand command, ShimRequest raw) throws CniException {
        boolean attachment = command == CniCommand.ADD || command == CniCommand.DEL || command == CniCommand.CHECK;
        if (!attachment) {
            return;
        }
        List<String> missing = new ArrayList<>();
        if (raw.containerId().isEmpty()) {
            missing.add("CNI_CONTAINERID");
        }
        if (raw.netns().isEmpty() && command != CniCommand.DEL) {
            missing.add("CNI_NETNS");
        }
        if (raw.ifname().isEmpty()) {
            missing.add("CNI_IFNAME");
        }
        if (!missing.isEmpty()) {
            throw new CniException(
                    CniErrorCode.INVALID_ENVIRONMENT,
                    "required environment variable" + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing)
                            + (missing.size() > 1 ? " are" : " is") + " not set for " + command);
        }
        if (!NAME.matcher(raw.containerId()).matches()) {
            throw new CniException(
                    CniErrorCode.INVALID_ENVIRONMENT,
                    "CNI_CONTAINERID \"" + clip(raw.containerId())
                            + "\" is invalid: it must match [a-zA-Z0-9][a-zA-Z0-9_.-]*");
        }
        checkIfname(raw.ifname());
        if (!raw.netns().isEmpty() && !raw.netns().startsWith("/")) {
            throw new CniException(
                    CniErrorCode.INVALID_ENVIRONMENT,
                    "CNI_NETNS \"" + clip(raw.netns()) + "\" is not an absolute path to a network namespace");
        }
    }

    /**
     * Why {@code name} cannot be a Linux interface name (libcni's ValidateInterfaceName, and
     * printable ASCII only, as Weft's netlink layer requires), or empty when it can.
     */
    public static Optional<String> ifnameProblem(String name) {
        if (name.isEmpty()) {
            return Optional.of("is empty");
        }
        if (name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 15) {
            return Optional.of("is longer than 15 bytes");
        }
        if (name.equals(".") || name.equals("..")) {
            return Optional.of("is . or ..");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == ':' || Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                return Optional.of("contains '" + (c == '/' || c == ':' ? String.valueOf(c) : "whitespace") + "'");
            }
            if (c < 0x21 || c > 0x7e) {
                // the kernel would take any byte, but names outside printable ASCII break tools
                return Optional.of("contains a character outside printable ASCII");
            }
        }
        return Optional.empty();
    }

    private static void checkIfname(String name) throws CniException {
        Optional<String> problem = ifnameProblem(name);
        if (problem.isPresent()) {
            throw new CniException(
                    CniErrorCode.INVALID_ENVIRONMENT,
                    "CNI_IFNAME \"" + clip(name) + "\" " + problem.get() + ": not a valid interface name");
        }
    }

    private static ObjectNode decode(byte[] config) throws CniException {
        if (config.length == 0) {
            throw new CniException(CniErrorCode.DECODING_FAILURE, "no network configuration on stdin");
        }
        JsonNode node;
        try {
            node = JSON.readTree(config);
        } catch (JsonProcessingException e) {
            throw new CniException(
                    CniErrorCode.DECODING_FAILURE,
                    "network configuration on stdin is not valid JSON",
                    e.getOriginalMessage() + " at " + e.getLocation());
        } catch (IOException e) {
            throw new CniException(CniErrorCode.IO_FAILURE, "reading the network configuration: " + e.getMessage());
        }
        if (!(node instanceof ObjectNode object)) {
            throw new CniException(
                    CniErrorCode.DECODING_FAILURE, "network configuration on stdin is not a JSON object");
        }
        return object;
    }

    private static CniVersion version(ObjectNode json) throws CniException {
        JsonNode v = json.get("cniVersion");
        if (v == null || v.isNull() || (v.isTextual() && v.asText().isEmpty())) {
            throw new CniException(
                    CniErrorCode.INCOMPATIBLE_VERSION,
                    "cniVersion is missing (which means 0.1.0, and weft supports "
                            + String.join(", ", CniVersion.supported()) + ")");
        }
        if (!v.isTextual()) {
            throw new CniException(CniErrorCode.DECODING_FAILURE, "cniVersion " + v + " is not a string");
        }
        return CniVersion.parse(v.asText());
    }

    private static void gate(CniCommand command, CniVersion version) throws CniException {
        if (command == CniCommand.CHECK && !version.atLeast(CniVersion.V0_4_0)) {
            throw new CniException(
                    CniErrorCode.INCOMPATIBLE_VERSION,
                    "CHECK needs cniVersion 0.4.0 or later, the configuration says " + version.text());
        }
        if ((command == CniCommand.GC || command == CniCommand.STATUS) && !version.atLeast(CniVersion.V1_1_0)) {
            throw new CniException(
                    CniErrorCode.INCOMPATIBLE_VERSION,
                    command + " needs cniVersion 1.1.0 or later, the configuration says " + version.text());
        }
    }

    private static Map<String, String> cniArgs(String text) throws CniException {
        Map<String, String> args = new LinkedHashMap<>();
        if (text.isEmpty()) {
            return args;
        }
        for (String pair : text.split(";")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new CniException(
                        CniErrorCode.INVALID_ENVIRONMENT, "CNI_ARGS entry \"" + clip(pair) + "\" is not KEY=VALUE");
            }
            args.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        String ignore = args.getOrDefault("IgnoreUnknown", "");
        boolean ignoreUnknown = ignore.equals("1") || ignore.equalsIgnoreCase("true");
        if (!ignoreUnknown) {
            for (var e : args.entrySet()) {
                if (!ARGS.contains(e.getKey())) {
                    throw new CniException(
                            CniErrorCode.INVALID_ENVIRONMENT,
                            "CNI_ARGS has unknown key " + e.getKey() + "=" + clip(e.getValue())
                                    + " (add IgnoreUnknown=1 to ignore it)");
                }
            }
        }
        return args;
    }

    private static PluginConfig pluginConfig(ObjectNode json, CniVersion version, Map<String, String> args)
            throws CniException {
        for (var it = json.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key) && !key.startsWith("cni.dev/")) {
                throw unsupported(key, json.get(key), "weft does not know this key");
            }
        }
        String name = name(json);
        String bridge = "weft";
        JsonNode b = json.get("bridge");
        if (b != null && !b.isNull()) {
            if (!b.isTextual() || ifnameProblem(b.asText()).isPresent()) {
                throw invalid("bridge " + clip(b.toString()) + " is not a valid interface name");
            }
            bridge = b.asText();
        }
        Optional<Integer> mtu = Optional.empty();
        JsonNode m = json.get("mtu");
        if (m != null && !m.isNull()) {
            if (!m.canConvertToInt() || !m.isIntegralNumber() || m.asInt() < 68 || m.asInt() > 65535) {
                throw invalid("mtu " + clip(m.toString()) + " is not an integer between 68 and 65535 (bytes)");
            }
            mtu = Optional.of(m.asInt());
        }
        boolean hairpin = bool(json, "hairpinMode", true);
        boolean ipMasq = bool(json, "ipMasq", false);
        Ipam ipam = new Ipam.Weft(Optional.empty());
        JsonNode i = json.get("ipam");
        if (i != null && !i.isNull()) {
            ipam = ipam(i);
        }
        if (ipMasq && !(ipam instanceof Ipam.Weft)) {
            throw unsupported(
                    "ipMasq",
                    json.get("ipMasq"),
                    "weft masquerades pods whose address comes from Weft's IPAM, not a delegated ipam plugin's");
        }
        Optional<Result.Dns> dns = Optional.empty();
        JsonNode d = json.get("dns");
        if (d != null && !d.isNull()) {
            try {
                dns = Optional.of(ResultCodec.parseDns(d, "dns"));
            } catch (CniException e) {
                throw invalid(e.getMessage());
            }
        }
        return new PluginConfig(
                version,
                name,
                bridge,
                mtu,
                hairpin,
                ipMasq,
                ipam,
                dns,
                prevResult(json),
                validAttachments(json),
                requestedAddress(json, args),
                json);
    }

    private static PluginConfig ipamConfig(ObjectNode json, CniVersion version, Map<String, String> args)
            throws CniException {
        JsonNode i = json.get("ipam");
        if (i == null || !i.isObject()) {
            throw invalid("weft-ipam needs an \"ipam\" object in the network configuration");
        }
        Ipam ipam = ipam(i);
        if (!(ipam instanceof Ipam.Weft)) {
            throw invalid(
                    "weft-ipam was run for ipam.type " + clip(i.path("type").toString()));
        }
        return new PluginConfig(
                version,
                name(json),
                "",
                Optional.empty(),
                false,
                false,
                ipam,
                Optional.empty(),
                prevResult(json),
                validAttachments(json),
                requestedAddress(json, args),
                json);
    }

    private static String name(ObjectNode json) throws CniException {
        JsonNode n = json.get("name");
        if (n == null || !n.isTextual() || !NAME.matcher(n.asText()).matches()) {
            throw invalid("name " + (n == null ? "is missing" : clip(n.toString()) + " is not a valid network name")
                    + " (it must match [a-zA-Z0-9][a-zA-Z0-9_.-]*)");
        }
        return n.asText();
    }

    private static Ipam ipam(JsonNode i) throws CniException {
        if (!i.isObject()) {
            throw invalid("ipam " + clip(i.toString()) + " is not an object");
        }
        JsonNode type = i.get("type");
        if (type == null || !type.isTextual() || type.asText().isEmpty()) {
            throw invalid("ipam.type is missing (use \"weft-ipam\" or the name of an IPAM plugin)");
        }
        String t = type.asText();
        if (!t.equals(WEFT_IPAM)) {
            if (t.contains("/") || t.equals(".") || t.equals("..")) {
                throw invalid("ipam.type \"" + clip(t) + "\" must be a plugin name, not a path");
            }
            return new Ipam.Delegate(t);
        }
        Optional<IpPrefix> subnet = Optional.empty();
        for (var it = i.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (key.equals("subnet")) {
                JsonNode s = i.get(key);
                try {
                    if (!s.isTextual() || s.asText().indexOf('/') < 0) {
                        throw new IllegalArgumentException("not a CIDR");
                    }
                    subnet = Optional.of(IpPrefix.parse(s.asText()));
                } catch (IllegalArgumentException e) {
                    throw invalid("ipam.subnet " + clip(s.toString()) + " is not a CIDR like 10.32.0.0/12");
                }
            } else if (!key.equals("type")) {
                throw unsupported("ipam." + key, i.get(key), "weft-ipam knows only type and subnet");
            }
        }
        return new Ipam.Weft(subnet);
    }

    private static Optional<ObjectNode> prevResult(ObjectNode json) throws CniException {
        JsonNode p = json.get("prevResult");
        if (p == null || p.isNull() || (p.isObject() && p.isEmpty())) {
            return Optional.empty();
        }
        if (!(p instanceof ObjectNode o)) {
            throw new CniException(CniErrorCode.DECODING_FAILURE, "prevResult is not a JSON object");
        }
        return Optional.of(o);
    }

    private static List<AttachmentId> validAttachments(ObjectNode json) throws CniException {
        JsonNode v = json.get("cni.dev/valid-attachments");
        List<AttachmentId> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isArray()) {
            throw invalid("cni.dev/valid-attachments is not a list");
        }
        for (JsonNode a : v) {
            JsonNode id = a.get("containerID");
            JsonNode ifname = a.get("ifname");
            if (id == null || !id.isTextual() || ifname == null || !ifname.isTextual()) {
                throw invalid("cni.dev/valid-attachments entry " + clip(a.toString())
                        + " needs string containerID and ifname");
            }
            out.add(new AttachmentId(id.asText(), ifname.asText()));
        }
        return out;
    }

    private static Optional<InetAddress> requestedAddress(ObjectNode json, Map<String, String> args)
            throws CniException {
        List<String> wanted = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        collectIps(json.path("runtimeConfig").get("ips"), "runtimeConfig.ips", wanted, sources);
        collectIps(json.path("args").path("cni").get("ips"), "args.cni.ips", wanted, sources);
        if (args.containsKey("IP")) {
            wanted.add(args.get("IP"));
            sources.add("CNI_ARGS IP");
        }
        if (wanted.isEmpty()) {
            return Optional.empty();
        }
        InetAddress first = null;
        for (int k = 0; k < wanted.size(); k++) {
            InetAddress a;
            try {
                a = IpPrefix.parse(wanted.get(k)).address();
            } catch (IllegalArgumentException e) {
                throw invalid(sources.get(k) + " \"" + clip(wanted.get(k)) + "\" is not an IP address");
            }
            if (first != null && !first.equals(a)) {
                throw invalid("weft assigns one address per attachment, but " + String.join(" and ", sources)
                        + " ask for " + String.join(", ", wanted));
            }
            first = a;
        }
        return Optional.of(first);
    }

    private static void collectIps(JsonNode ips, String what, List<String> wanted, List<String> sources)
            throws CniException {
        if (ips == null || ips.isNull()) {
            return;
        }
        if (!ips.isArray()) {
            throw invalid(what + " is not a list");
        }
        for (JsonNode ip : ips) {
            if (!ip.isTextual()) {
                throw invalid(what + " entry " + clip(ip.toString()) + " is not a string");
            }
            wanted.add(ip.asText());
            sources.add(what);
        }
    }

    private static boolean bool(ObjectNode json, String key, boolean fallback) throws CniException {
        JsonNode v = json.get(key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isBoolean()) {
            throw invalid(key + " " + clip(v.toString()) + " is not true or false");
        }
        return v.asBoolean();
    }

    private static CniException unsupported(String key, JsonNode value, String why) {
        return new CniException(
                CniErrorCode.UNSUPPORTED_FIELD,
                "unsupported field \"" + key + "\" with value " + clip(String.valueOf(value)),
                why);
    }

    private static CniException invalid(String message) {
        return new CniException(CniErrorCode.INVALID_NETWORK_CONFIG, message);
    }

    /** A value short enough for an error message. */
    static String clip(String s) {
        return s.length() <= 120 ? s : s.substring(0, 117) + "...";
    }
}
