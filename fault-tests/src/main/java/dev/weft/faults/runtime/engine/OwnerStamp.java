package dev.weft.faults.runtime.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The process that owns an engine, as "pid starttime" (the start time from {@code /proc/PID/stat},
 * field 22, in clock ticks since boot), so that a recycled pid is not mistaken for the owner.
 *
 * @param pid the owner's process id
 * @param startTicks the owner's start time in clock ticks since boot
 */
public record OwnerStamp(long pid, long startTicks) {

    /** The stamp of this JVM. */
    public static OwnerStamp self() {
        long pid = ProcessHandle.current().pid();
        return new OwnerStamp(pid, startTicks(pid).orElseThrow());
    }

    /** True while the process named by this stamp is the same process and still running. */
    public boolean alive() {
        return startTicks(pid).map(t -> t == startTicks).orElse(false);
    }

    void write(Path file) {
        try {
            Files.writeString(file, pid + " " + startTicks + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The stamp in {@code file}, or empty when the file is missing or unreadable. */
    static Optional<OwnerStamp> read(Path file) {
        try {
            String[] f = Files.readString(file, StandardCharsets.UTF_8).trim().split(" ");
            return Optional.of(new OwnerStamp(Long.parseLong(f[0]), Long.parseLong(f[1])));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Field 22 of /proc/PID/stat, or empty when the process does not exist. */
    static Optional<Long> startTicks(long pid) {
        try {
            String stat = ProcFs.read(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name (field 2) is in parentheses and may contain spaces: skip past it.
            String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Optional.of(Long.parseLong(rest[19])); // field 22 = index 19 after field 2
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
