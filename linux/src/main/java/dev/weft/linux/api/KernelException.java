package dev.weft.linux.api;

/**
 * A system call or kernel request failed with an errno. Unchecked: callers that can recover
 * test {@link #errno()} (for example {@code Errno.EEXIST} to make a create idempotent), the rest
 * let it propagate with its message, which always names the object and the errno, e.g.
 * {@code "open /dev/net/tun: No such file or directory (ENOENT)"}.
 */
public class KernelException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int errno;

    /** {@code subject} says what was attempted on what; {@code errno} is positive. */
    public KernelException(String subject, int errno) {
        this(subject + ": " + Errno.describe(errno), errno, null);
    }

    protected KernelException(String message, int errno, Throwable cause) {
        super(message, cause);
        this.errno = Math.abs(errno);
    }

    /** The positive errno, comparable with the constants in {@link Errno}. */
    public int errno() {
        return errno;
    }

    /** The symbolic errno name, e.g. {@code "EEXIST"}. */
    public String errnoName() {
        return Errno.name(errno);
    }

    /** True when the object already existed ({@code EEXIST}). */
    public boolean alreadyExists() {
        return errno == Errno.EEXIST;
    }

    /** True when the object did not exist ({@code ENOENT}, {@code ENODEV} or {@code ESRCH}). */
    public boolean notFound() {
        return errno == Errno.ENOENT || errno == Errno.ENODEV || errno == Errno.ESRCH;
    }
}
