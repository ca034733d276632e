package dev.weft.cni.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * A plugin binary for tests (a shell script) that records every call and answers as told: the
 * verb goes to {@code <dir>/<type>.calls}, stdin to {@code <dir>/<type>.<VERB>.stdin}, the CNI
 * environment to {@code <dir>/<type>.<VERB>.env}; it writes a line to stderr; ADD prints
 * {@code <dir>/<type>.result}; a file {@code <dir>/<type>.fail.<VERB>} makes that verb print the
 * file (an error object) and exit 1.
 */
public final class FakePlugin {
    private final Path dir;
    private final String type;

    private FakePlugin(Path dir, String type) {
        this.dir = dir;
        this.type = type;
    }

    /** Installs {@code dir/type}. */
    public static FakePlugin install(Path dir, String type) throws IOException {
        Files.createDirectories(dir);
        Path script = dir.resolve(type);
        Files.writeString(
                script,
                """
                #!/bin/sh
                d=$(dirname "$0"); t=$(basename "$0")
                echo "$CNI_COMMAND" >> "$d/$t.calls"
                cat > "$d/$t.$CNI_COMMAND.stdin"
                env | grep '^CNI_' | sort > "$d/$t.$CNI_COMMAND.env"
                echo "$t says $CNI_COMMAND to stderr" >&2
                if [ -f "$d/$t.fail.$CNI_COMMAND" ]; then cat "$d/$t.fail.$CNI_COMMAND"; exit 1; fi
                case "$CNI_COMMAND" in
                  ADD) cat "$d/$t.result" ;;
                  VERSION) echo '{"cniVersion":"1.1.0","supportedVersions":["0.4.0","1.0.0","1.1.0"]}' ;;
                esac
                exit 0
                """);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return new FakePlugin(dir, type);
    }

    /** What ADD prints. */
    public FakePlugin result(String json) throws IOException {
        Files.writeString(dir.resolve(type + ".result"), json);
        return this;
    }

    /** Makes {@code verb} fail with this error object (null: succeed again). */
    public FakePlugin fail(String verb, String errorJson) throws IOException {
        Path f = dir.resolve(type + ".fail." + verb);
        if (errorJson == null) {
            Files.deleteIfExists(f);
        } else {
            Files.writeString(f, errorJson);
        }
        return this;
    }

    /** The verbs it was called with, in order. */
    public List<String> calls() throws IOException {
        Path f = dir.resolve(type + ".calls");
        return Files.exists(f) ? Files.readAllLines(f, StandardCharsets.UTF_8) : new ArrayList<>();
    }

    /** The stdin of its last call with {@code verb}. */
    public String stdin(String verb) throws IOException {
        return Files.readString(dir.resolve(type + "." + verb + ".stdin"));
    }

    /** The CNI_* environment of its last call with {@code verb}, one VAR=value per line, sorted. */
    public List<String> env(String verb) throws IOException {
        return Files.readAllLines(dir.resolve(type + "." + verb + ".env"));
    }

    /** Forgets recorded calls. */
    public void reset() throws IOException {
        Files.deleteIfExists(dir.resolve(type + ".calls"));
    }

    public Path dir() {
        return dir;
    }
}
