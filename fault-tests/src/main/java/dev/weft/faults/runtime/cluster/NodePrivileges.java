package dev.weft.faults.runtime.cluster;

import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Device;
import com.github.dockerjava.api.model.HostConfig;
import dev.weft.faults.runtime.engine.ProcFs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a node container may do: everything a CNI host needs (network admin, namespaces, mounts,
 * iptables, /dev/net/tun, writable /proc/sys).
 *
 * <p>{@code --privileged} asks for every capability the kernel knows. Where this machine's own
 * capability bounding set lacks some (here CAP_SYS_RESOURCE is missing, and runc then fails with
 * "unable to apply caps"), the node instead gets every capability except those, unconfined
 * seccomp and AppArmor, and the tun device; {@link #remounts} then makes /sys and /proc/sys
 * writable inside the node (the API has no "systempaths=unconfined": the docker CLI emulates it).
 * Privileged in all that matters here.
 *
 * @param missing the capabilities this process cannot grant (empty: plain privileged mode)
 */
public record NodePrivileges(List<Capability> missing) {

    // Linux capability numbers (include/uapi/linux/capability.h), index = bit.
    private static final List<String> CAPS = List.of(
            "CHOWN",
            "DAC_OVERRIDE",
            "DAC_READ_SEARCH",
            "FOWNER",
            "FSETID",
            "KILL",
            "SETGID",
            "SETUID",
            "SETPCAP",
            "LINUX_IMMUTABLE",
            "NET_BIND_SERVICE",
            "NET_BROADCAST",
            "NET_ADMIN",
            "NET_RAW",
            "IPC_LOCK",
            "IPC_OWNER",
            "SYS_MODULE",
            "SYS_RAWIO",
            "SYS_CHROOT",
            "SYS_PTRACE",
            "SYS_PACCT",
            "SYS_ADMIN",
            "SYS_BOOT",
            "SYS_NICE",
            "SYS_RESOURCE",
            "SYS_TIME",
            "SYS_TTY_CONFIG",
            "MKNOD",
            "LEASE",
            "AUDIT_WRITE",
            "AUDIT_CONTROL",
            "SETFCAP",
            "MAC_OVERRIDE",
            "MAC_ADMIN",
            "SYSLOG",
            "WAKE_ALARM",
            "BLOCK_SUSPEND",
            "AUDIT_READ",
            "PERFMON",
            "BPF",
            "CHECKPOINT_RESTORE");

    public NodePrivileges {
        missing = List.copyOf(missing);
    }

    /** Reads this process's bounding set and {@code /proc/sys/kernel/cap_last_cap}. */
    public static NodePrivileges ofThisHost() {
        try {
            long bnd = 0;
            for (String line : ProcFs.read(Path.of("/proc/self/status")).split("\n")) {
                if (line.startsWith("CapBnd:")) {
                    bnd = Long.parseUnsignedLong(line.substring(7).strip(), 16);
                }
            }
            int last = Integer.parseInt(
                    ProcFs.read(Path.of("/proc/sys/kernel/cap_last_cap")).strip());
            return fromBoundingSet(bnd, last);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read this process's capabilities", e);
        }
    }

    /** The capabilities among 0..lastCap absent from {@code boundingSet}. */
    static NodePrivileges fromBoundingSet(long boundingSet, int lastCap) {
        List<Capability> missing = new ArrayList<>();
        for (int bit = 0; bit <= lastCap && bit < CAPS.size(); bit++) {
            if ((boundingSet & (1L << bit)) == 0) {
                missing.add(Capability.valueOf(CAPS.get(bit)));
            }
        }
        return new NodePrivileges(missing);
    }

    /** Applies these privileges to a container's host config. */
    public void applyTo(HostConfig hc) {
        if (missing.isEmpty()) {
            hc.withPrivileged(true);
            return;
        }
        hc.withCapAdd(Capability.ALL)
                .withCapDrop(missing.toArray(Capability[]::new))
                .withSecurityOpts(List.of("seccomp=unconfined", "apparmor=unconfined"))
                .withDevices(List.of(Device.parse("/dev/net/tun:/dev/net/tun:rwm")));
    }

    /**
     * The mount points to remount read-write once the node runs: /sys and /proc/sys are read-only
     * in a container that is not privileged. Empty in privileged mode.
     */
    public List<String> remounts() {
        return missing.isEmpty() ? List.of() : List.of("/sys", "/proc/sys");
    }
}
