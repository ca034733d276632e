package dev.weft.faults.runtime.image;

import dev.weft.faults.runtime.engine.DockerEngine;
import dev.weft.faults.runtime.engine.HostCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The nodes' image, built locally (no registry is needed or used): a root filesystem made once by
 * debootstrap and kept as a tarball in a cache directory keyed by its {@link NodeImageRecipe
 * recipe}, then {@code docker import}ed into each engine (about 2 s for ~100 MB).
 *
 * <p>Building takes about 40 s and needs the Debian mirror; concurrent runs (threads or
 * processes) wait on a file lock so the rootfs is built once.
 */
public final class NodeImage {

    private static final Logger LOG = LoggerFactory.getLogger(NodeImage.class);

    /** Survives runs and checkouts; override with {@code WEFT_FAULTS_CACHE}. */
    public static final Path DEFAULT_CACHE = Path.of("/var/cache/weft-faults");

    private static final Object IN_PROCESS = new Object();
    private static final Pattern ONE_LINE_SOURCE = Pattern.compile("^deb\\s+(?:\\[[^]]*]\\s+)?(\\S+)\\s+(\\S+)\\s");

    private final NodeImageRecipe recipe;
    private final Path cacheDir;

    public NodeImage(NodeImageRecipe recipe, Path cacheDir) {
        this.recipe = recipe;
        this.cacheDir = cacheDir;
    }

    /** The default recipe, cached in {@code $WEFT_FAULTS_CACHE} or {@link #DEFAULT_CACHE}. */
    public static NodeImage standard() {
        String env = System.getenv("WEFT_FAULTS_CACHE");
        return new NodeImage(NodeImageRecipe.DEFAULT, env == null || env.isBlank() ? DEFAULT_CACHE : Path.of(env));
    }

    public NodeImageRecipe recipe() {
        return recipe;
    }

    /** The cached root filesystem tarball (may not exist yet). */
    public Path tarball() {
        return cacheDir.resolve(recipe.tarballName());
    }

    /**
     * The image's tag in {@code engine}, importing the cached rootfs (building it first if the
     * cache has none for this recipe). Blocks up to ~10 minutes on a cold cache.
     */
    public String ensureIn(DockerEngine engine) {
        String tag = recipe.tag();
        if (engine.docker(Duration.ofSeconds(20), "image", "inspect", tag).ok()) {
            return tag;
        }
        Path tar = ensureRootfs();
        engine.docker(
                        Duration.ofMinutes(5),
                        "import",
                        "--change",
                        "CMD [\"sleep\", \"infinity\"]",
                        "--message",
                        "weft fault-tests node, recipe " + recipe.key(),
                        tar.toString(),
                        tag)
                .check();
        return tag;
    }

    /** The cached tarball, built now if missing. */
    public Path ensureRootfs() {
        Path tar = tarball();
        if (Files.isRegularFile(tar)) {
            return tar;
        }
        synchronized (IN_PROCESS) {
            try {
                Files.createDirectories(cacheDir);
                try (FileChannel ch = FileChannel.open(
                                cacheDir.resolve("build.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                        FileLock ignored = ch.lock()) {
                    if (!Files.isRegularFile(tar)) {
                        build(tar);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot build the node image in " + cacheDir, e);
            }
        }
        return tar;
    }

    private void build(Path tar) throws IOException {
        String mirror = mirror();
        Path work = Files.createTempDirectory(cacheDir, "build-");
        Path root = work.resolve("rootfs");
        long t0 = System.nanoTime();
        LOG.info(
                "building node rootfs {} with debootstrap from {} (about 40 s, once per recipe)", recipe.key(), mirror);
        try {
            List<String> argv = new ArrayList<>(List.of("debootstrap", "--variant=" + recipe.variant()));
            if (!recipe.packages().isEmpty()) {
                argv.add("--include=" + String.join(",", recipe.packages()));
            }
            argv.addAll(List.of(recipe.suite(), root.toString(), mirror));
            HostCommand.Result r = HostCommand.run(Duration.ofMinutes(10), argv, Map.of(), null, null);
            if (!r.ok()) {
                String log = readIfExists(root.resolve("debootstrap/debootstrap.log"));
                throw new IllegalStateException("debootstrap failed (exit " + r.exitCode() + "):\n"
                        + tailLines(r.stdout() + r.stderr() + log, 30));
            }
            for (String t : recipe.trim()) {
                HostCommand.run(Duration.ofMinutes(1), "sh", "-c", "cd '" + root + "' && rm -rf -- " + t)
                        .check();
            }
            Path part = work.resolve("rootfs.tar");
            HostCommand.run(
                            Duration.ofMinutes(5),
                            "tar",
                            "--numeric-owner",
                            "--xattrs",
                            "-C",
                            root.toString(),
                            "-cf",
                            part.toString(),
                            ".")
                    .check();
            Files.move(part, tar, StandardCopyOption.ATOMIC_MOVE);
            LOG.info("node rootfs {} built in {} s: {}", recipe.key(), (System.nanoTime() - t0) / 1_000_000_000L, tar);
        } finally {
            HostCommand.run(Duration.ofMinutes(2), "rm", "-rf", "--one-file-system", work.toString());
        }
    }

    /**
     * The Debian mirror this machine's apt uses for the recipe's suite ({@code WEFT_FAULTS_MIRROR}
     * overrides), or deb.debian.org.
     */
    public String mirror() {
        String env = System.getenv("WEFT_FAULTS_MIRROR");
        if (env != null && !env.isBlank()) {
            return env;
        }
        return aptMirror(Path.of("/etc/apt"), recipe.suite()).orElse("http://deb.debian.org/debian");
    }

    /** The first URI serving {@code suite} in one-line or deb822 apt sources under {@code etcApt}. */
    static Optional<String> aptMirror(Path etcApt, String suite) {
        List<Path> files = new ArrayList<>();
        files.add(etcApt.resolve("sources.list"));
        try (var s = Files.list(etcApt.resolve("sources.list.d"))) {
            s.sorted().forEach(files::add);
        } catch (IOException e) {
            // no sources.list.d
        }
        for (Path f : files) {
            String text = readIfExists(f);
            if (f.toString().endsWith(".sources")) {
                for (String stanza : text.split("\\n\\s*\\n")) {
                    String uris = field(stanza, "URIs");
                    String suites = field(stanza, "Suites");
                    if (uris != null
                            && suites != null
                            && List.of(suites.split("\\s+")).contains(suite)) {
                        return Optional.of(uris.split("\\s+")[0]);
                    }
                }
            } else {
                for (String line : text.split("\\n")) {
                    Matcher m = ONE_LINE_SOURCE.matcher(line.strip() + " ");
                    if (m.find() && m.group(2).equals(suite)) {
                        return Optional.of(m.group(1));
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static String field(String stanza, String name) {
        for (String line : stanza.split("\\n")) {
            if (line.startsWith(name + ":")) {
                return line.substring(name.length() + 1).strip();
            }
        }
        return null;
    }

    private static String readIfExists(Path f) {
        try {
            return Files.readString(f, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static String tailLines(String s, int n) {
        String[] lines = s.split("\\n");
        return String.join("\n", List.of(lines).subList(Math.max(0, lines.length - n), lines.length));
    }
}
