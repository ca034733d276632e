package dev.weft.faults.runtime.cluster;

import java.util.List;

/**
 * The outcome of a command run inside a node.
 *
 * @param argv the command
 * @param exitCode its exit code, or -1 when it did not finish within its timeout
 * @param stdout what it printed on standard output
 * @param stderr what it printed on standard error
 */
public record ExecResult(List<String> argv, int exitCode, String stdout, String stderr) {

    public ExecResult {
        argv = List.copyOf(argv);
    }

    public boolean ok() {
        return exitCode == 0;
    }

    public boolean timedOut() {
        return exitCode == -1;
    }

    /** This result, or an exception naming the node, the command and its stderr. */
    public ExecResult check(String node) {
        if (!ok()) {
            throw new IllegalStateException(node + ": " + (timedOut() ? "timed out" : "exit " + exitCode) + ": "
                    + String.join(" ", argv) + (stderr.isBlank() ? "" : "\n" + stderr.strip()));
        }
        return this;
    }
}
