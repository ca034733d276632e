package dev.weft.cni.libcni;

/**
 * A plugin failed: exit status non-zero. Carries the error object it printed on stdout (or, as
 * libcni does, the stderr text when stdout was not an error object).
 */
public final class PluginException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String plugin;
    private final int exitStatus;
    private final int code;
    private final String msg;
    private final String details;
    private final String stdout;
    private final String stderr;

    PluginException(String plugin, int exitStatus, int code, String msg, String details, String stdout, String stderr) {
        super(plugin + " failed (exit " + exitStatus + ", code " + code + "): " + msg
                + (details == null || details.isEmpty() ? "" : " (" + details + ")"));
        this.plugin = plugin;
        this.exitStatus = exitStatus;
        this.code = code;
        this.msg = msg;
        this.details = details;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** The plugin type that failed. */
    public String plugin() {
        return plugin;
    }

    /** The process exit status (never 0). */
    public int exitStatus() {
        return exitStatus;
    }

    /** The CNI error code from the error object; -1 when stdout had none. */
    public int code() {
        return code;
    }

    /** The error object's msg (or stderr). */
    public String msg() {
        return msg;
    }

    /** The error object's details, or null. */
    public String details() {
        return details;
    }

    /** Raw stdout. */
    public String stdout() {
        return stdout;
    }

    /** Raw stderr. */
    public String stderr() {
        return stderr;
    }
}
