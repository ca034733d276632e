package dev.weft.faults.runtime.engine;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Where one private Docker Engine keeps everything: a directory of its own (data root, exec root,
 * pidfile, socket, log, owner stamp), a network namespace and a cgroup parent, all named by the
 * run id so that concurrent runs never share anything.
 *
 * @param base the directory holding every engine's directory (default {@code /tmp/weft-faults})
 * @param id the run id, {@code wf-} and six hex digits
 */
public record EngineLayout(Path base, String id) {

    private static final Pattern ID = Pattern.compile("wf-[0-9a-f]{6}");

    /** Unix socket paths are limited to 107 bytes by sockaddr_un. */
    static final int MAX_SOCKET_PATH = 107;

    public EngineLayout {
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("not an engine id (wf-xxxxxx): " + id);
        }
        base = base.toAbsolutePath().normalize();
    }

    /** True when {@code name} looks like an engine directory name. */
    static boolean isEngineId(String name) {
        return ID.matcher(name).matches();
    }

    public Path dir() {
        return base.resolve(id);
    }

    public Path dataRoot() {
        return dir().resolve("data");
    }

    public Path execRoot() {
        return dir().resolve("exec");
    }

    public Path pidfile() {
        return dir().resolve("dockerd.pid");
    }

    public Path socket() {
        return dir().resolve("docker.sock");
    }

    public Path log() {
        return dir().resolve("dockerd.log");
    }

    /** The stamp naming the process that owns this engine (see {@link OwnerStamp}). */
    public Path ownerFile() {
        return dir().resolve("owner");
    }

    /** The network namespace dockerd, its bridges and its containers' host side live in. */
    public String netns() {
        return id + "-docker";
    }

    /** The cgroup under which dockerd puts every container (cgroupfs driver). */
    public String cgroupParent() {
        return "/" + id;
    }

    /** The value of {@code DOCKER_HOST} for this engine. */
    public String dockerHost() {
        return "unix://" + socket();
    }
}
