package dev.weft.faults.runtime.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A long-running process inside a node (the router), started in the background and known by a
 * pidfile, so the nemesis can kill, stop and continue it while the node (its network namespace,
 * its pods, its files) stays. Output is appended to {@code /var/log/weft-faults/NAME.log}.
 *
 * <p>Each method runs one short command in the node and blocks until it returns.
 */
public final class NodeProcess {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,30}");

    private final Node node;
    private final String name;

    public NodeProcess(Node node, String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("process name must match " + NAME + ": " + name);
        }
        this.node = node;
        this.name = name;
    }

    String pidfile() {
        return "/run/weft-faults/" + name + ".pid";
    }

    /** The process's log file inside the node. */
    public String logFile() {
        return "/var/log/weft-faults/" + name + ".log";
    }

    /**
     * Starts {@code argv} with {@code env} in a session of its own.
     *
     * @throws IllegalStateException if it is already running or cannot be started
     */
    public void start(Map<String, String> env, List<String> argv) {
        if (running()) {
            throw new IllegalStateException(node.name() + ": " + name + " is already running");
        }
        // Separate statements: "a && b & c" would put the whole list, mkdir included, in the background.
        StringBuilder cmd = new StringBuilder("mkdir -p /run/weft-faults /var/log/weft-faults || exit 1; cd /; ");
        cmd.append("echo \"--- start $(date -u +%FT%T.%3NZ)\" >> ")
                .append(logFile())
                .append("; ");
        cmd.append("setsid env");
        env.forEach((k, v) -> cmd.append(' ').append(quote(k + "=" + v)));
        for (String a : argv) {
            cmd.append(' ').append(quote(a));
        }
        cmd.append(" >> ")
                .append(logFile())
                .append(" 2>&1 < /dev/null & echo $! > ")
                .append(pidfile());
        node.sh(TIMEOUT, cmd.toString()).check(node.name());
    }

    /** True while the process exists and is not a zombie (a stopped process counts as running). */
    public boolean running() {
        return node.sh(
                        TIMEOUT,
                        "p=$(cat " + pidfile() + " 2>/dev/null) && [ -n \"$p\" ] && kill -0 \"$p\" 2>/dev/null"
                                + " && ! grep -q '^State:[[:space:]]*Z' /proc/$p/status")
                .ok();
    }

    /** True when the process is stopped by a signal (SIGSTOP): its state is T. */
    public boolean stopped() {
        return node.sh(TIMEOUT, "grep -q '^State:[[:space:]]*T' /proc/$(cat " + pidfile() + ")/status")
                .ok();
    }

    /**
     * Sends {@code signal} (a name such as KILL, TERM, STOP, CONT) to the process.
     *
     * @return false when the process was not running
     */
    public boolean signal(String signal) {
        if (!signal.matches("[A-Z0-9]+")) {
            throw new IllegalArgumentException("not a signal name: " + signal);
        }
        return node.sh(TIMEOUT, "kill -" + signal + " $(cat " + pidfile() + ") 2>/dev/null")
                .ok();
    }

    /** Sends SIGKILL and waits (up to 20 s) until the process is gone. */
    public void kill9() {
        signal("KILL");
        awaitGone(Duration.ofSeconds(20));
    }

    /** Waits until the process is gone; false if it still runs after {@code max}. */
    public boolean awaitGone(Duration max) {
        ExecResult r = node.sh(
                max.plusSeconds(5),
                "p=$(cat " + pidfile() + " 2>/dev/null) || exit 0; i=0; while kill -0 $p 2>/dev/null"
                        + " && ! grep -q '^State:[[:space:]]*Z' /proc/$p/status 2>/dev/null; do i=$((i+1));"
                        + " [ $i -gt " + max.toMillis() / 100 + " ] && exit 1; sleep 0.1; done");
        return r.ok();
    }

    /** The last {@code lines} lines of the process's log. */
    public String logTail(int lines) {
        return node.exec(TIMEOUT, "tail", "-n", Integer.toString(lines), logFile())
                .stdout();
    }

    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
