package dev.weft.linux.api;

import dev.weft.linux.internal.ffi.Native;
import dev.weft.linux.internal.uapi.Sys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * An open network namespace: a file descriptor on an nsfs file ({@code /run/netns/NAME},
 * {@code /proc/PID/ns/net}) and, once code runs in it, a dedicated platform thread that entered it
 * with {@code setns(2)}. Everything a task creates on that thread (sockets, DatagramChannels,
 * netlink sockets, TAP devices) belongs to the namespace and stays there when used from other
 * threads afterwards.
 *
 * <p>Named namespaces are made the way iproute2 makes them ({@code ip netns add}): an empty file
 * under {@code /run/netns} with the namespace bind-mounted on it, so {@code ip netns} sees ours
 * and we see its.
 *
 * <p>Thread-safe. {@link #close()} stops the thread (after queued tasks) and closes the fd; it
 * does not delete a named namespace: {@link #delete(String)} does.
 */
public final class NetNs implements AutoCloseable {
    /** Where iproute2 keeps named namespaces. */
    public static final Path RUN_DIR = Path.of("/run/netns");

    private final String name;
    private final Path path;
    private final int fd;
    private final ExecutorService thread;
    private volatile boolean closed;
    /** The namespace's thread once started: a call() from it runs inline instead of deadlocking. */
    private volatile Thread worker;
    /** Set by the namespace thread if it could not enter the namespace: every task then fails. */
    private volatile KernelException enterFailure;

    private NetNs(String name, Path path, int fd) {
        this.name = name;
        this.path = path;
        this.fd = fd;
        String threadName = "netns-" + name;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(() -> enterThenRun(r), threadName);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Creates the named namespace {@code /run/netns/NAME} (fresh, with only a down loopback) and
     * opens it. Blocks for a few system calls on a short-lived thread.
     *
     * @throws KernelException with EEXIST if a namespace of that name exists
     */
    public static NetNs create(String name) {
        Path p = pathOf(name);
        prepareRunDir();
        int f = Native.C.open(p.toString(), Sys.O_RDONLY | Sys.O_CREAT | Sys.O_EXCL | Sys.O_CLOEXEC, 0);
        if (f < 0) {
            throw new KernelException("create netns " + name, Native.errno());
        }
        Native.C.close(f);
        CompletableFuture<Void> made = new CompletableFuture<>();
        Thread t = new Thread(
                () -> {
                    try {
                        // unshare affects only this thread, which exits afterwards.
                        Native.check(Native.C.unshare(Sys.CLONE_NEWNET), "unshare(CLONE_NEWNET)");
                        Native.check(
                                Native.C.mount("/proc/thread-self/ns/net", p.toString(), "none", Sys.MS_BIND, 0),
                                "bind-mount the new namespace on " + p);
                        made.complete(null);
                    } catch (Throwable e) {
                        made.completeExceptionally(e);
                    }
                },
                "netns-create-" + name);
        t.start();
        try {
            made.get();
        } catch (ExecutionException e) {
            deleteQuietly(p);
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted creating netns " + name, e);
        }
        return open(p);
    }

    /** Opens the named namespace {@code /run/netns/NAME}. */
    public static NetNs open(String name) {
        return open(pathOf(name));
    }

    /**
     * Opens the namespace behind {@code path} ({@code /run/netns/X}, {@code /proc/PID/ns/net}).
     *
     * @throws KernelException ENOENT if absent, EINVAL if the file is not a network namespace
     */
    public static NetNs open(Path path) {
        int f = Native.C.open(path.toString(), Sys.O_RDONLY | Sys.O_CLOEXEC, 0);
        if (f < 0) {
            throw new KernelException("open netns " + path, Native.errno());
        }
        int type = Native.C.ioctl(f, Sys.NS_GET_NSTYPE, 0);
        if (type != Sys.CLONE_NEWNET) {
            int e = type < 0 ? Native.errno() : Errno.EINVAL;
            Native.C.close(f);
            throw new KernelException(
                    "open netns " + path + ": not a network namespace", e == Errno.ENOTTY ? Errno.EINVAL : e);
        }
        Path fileName = path.getFileName();
        String n = path.startsWith(RUN_DIR) && fileName != null ? fileName.toString() : path.toString();
        return new NetNs(n, path, f);
    }

    /** Opens the namespace of the calling thread. */
    public static NetNs current() {
        return open(Path.of("/proc/thread-self/ns/net"));
    }

    /**
     * Deletes the named namespace the way {@code ip netns del} does: unmounts and removes
     * {@code /run/netns/NAME}. The namespace itself lives on while anything still uses it (open
     * handles, processes, sockets). Idempotent.
     *
     * @return false if there was no such namespace
     */
    public static boolean delete(String name) {
        Path p = pathOf(name);
        if (!Files.exists(p)) {
            return false;
        }
        if (Native.C.umount2(p.toString(), Sys.MNT_DETACH) < 0 && Native.errno() != Errno.EINVAL) {
            throw new KernelException("unmount netns " + name, Native.errno());
        }
        try {
            return Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("delete " + p, e);
        }
    }

    /** Names of the namespaces under {@code /run/netns}. */
    public static List<String> list() {
        if (!Files.isDirectory(RUN_DIR)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(RUN_DIR)) {
            List<String> names = new ArrayList<>();
            s.forEach(p -> names.add(String.valueOf(p.getFileName())));
            names.sort(null);
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException("list " + RUN_DIR, e);
        }
    }

    /** The name under /run/netns, or the path it was opened by. */
    public String name() {
        return name;
    }

    public Path path() {
        return path;
    }

    /** The namespace fd (e.g. for IFLA_NET_NS_FD); owned by this object, valid until close. */
    public int fd() {
        if (closed) {
            throw new IllegalStateException("netns " + name + " is closed");
        }
        return fd;
    }

    /** The namespace's inode number: equal for two handles on the same namespace. */
    public long inode() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self/fd/" + fd()), "unix:ino")).longValue();
        } catch (IOException e) {
            throw new UncheckedIOException("stat netns " + name, e);
        }
    }

    /**
     * Runs {@code task} on this namespace's thread and returns its result. Blocks the caller until
     * the task finished; tasks run one at a time in submission order. Exceptions the task throws
     * are rethrown here as they are (checked ones wrapped in an IllegalStateException). Called
     * from a task of the same namespace, it runs the task inline.
     */
    public <T> T call(Callable<T> task) {
        if (Thread.currentThread() == worker) {
            try {
                return task.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("task in netns " + name + " failed: " + e, e);
            }
        }
        Future<T> f;
        try {
            f = thread.submit(() -> {
                KernelException failed = enterFailure;
                if (failed != null) {
                    throw failed;
                }
                return task.call();
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            throw new IllegalStateException("netns " + name + " is closed", e);
        }
        try {
            return f.get();
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException r) {
                throw r;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("task in netns " + name + " failed: " + c, c);
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for a task in netns " + name, e);
        }
    }

    /**
     * Runs a short {@code task} on the calling thread switched into this namespace with {@code
     * setns(2)}, and switches the thread back before returning: no other thread is involved. For
     * creating kernel objects that stay in the namespace (a netlink or UDP socket) without the
     * hand-off to this namespace's own thread that {@link #call} makes. The task must not block
     * for long, start threads or processes, or depend on the thread's usual namespace. A virtual
     * thread (which must not change its carrier's namespace) gets {@link #call} instead.
     *
     * @throws KernelException if the thread cannot enter the namespace (the task did not run)
     * @throws IllegalStateException if the thread could not return to its namespace (then it is
     *     left in this one; practically impossible, as the thread holds its namespace open)
     */
    public <T> T callOnThisThread(Callable<T> task) {
        if (Thread.currentThread().isVirtual() || Thread.currentThread() == worker) {
            return call(task);
        }
        int home = Native.C.open("/proc/thread-self/ns/net", Sys.O_RDONLY | Sys.O_CLOEXEC, 0);
        if (home < 0) {
            throw new KernelException("open this thread's netns", Native.errno());
        }
        try {
            if (Native.C.setns(fd(), Sys.CLONE_NEWNET) < 0) {
                throw new KernelException("setns into netns " + name, Native.errno());
            }
            T result = null;
            Throwable failure = null;
            try {
                result = task.call();
            } catch (Throwable e) { // rethrown below, once the thread is back home
                failure = e;
            }
            if (Native.C.setns(home, Sys.CLONE_NEWNET) < 0) {
                throw new IllegalStateException(
                        "thread " + Thread.currentThread().getName() + " cannot return from netns " + name + ": errno "
                                + Native.errno());
            }
            if (failure instanceof RuntimeException r) {
                throw r;
            }
            if (failure instanceof Error err) {
                throw err;
            }
            if (failure != null) {
                throw new IllegalStateException("task in netns " + name + " failed: " + failure, failure);
            }
            return result;
        } finally {
            Native.C.close(home);
        }
    }

    /** {@link #call} for code without a result. */
    public void run(Runnable task) {
        call(() -> {
            task.run();
            return null;
        });
    }

    /**
     * Stops the thread once queued tasks ran (waiting up to 30 s for a task that blocks), and
     * closes the fd. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        thread.shutdown();
        try {
            thread.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Native.C.close(fd);
    }

    @Override
    public String toString() {
        return "netns " + name;
    }

    private void enterThenRun(Runnable loop) {
        if (Native.C.setns(fd, Sys.CLONE_NEWNET) < 0) {
            enterFailure = new KernelException("setns into netns " + name, Native.errno());
        }
        worker = Thread.currentThread();
        loop.run();
    }

    private static Path pathOf(String name) {
        if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("bad netns name \"" + name + "\"");
        }
        return RUN_DIR.resolve(name);
    }

    /** Like iproute2: /run/netns exists and is a shared mount point, so bind mounts propagate. */
    private static void prepareRunDir() {
        try {
            Files.createDirectories(RUN_DIR);
        } catch (IOException e) {
            throw new UncheckedIOException("create " + RUN_DIR, e);
        }
        String dir = RUN_DIR.toString();
        if (Native.C.mount("", dir, "none", Sys.MS_SHARED | Sys.MS_REC, 0) == 0) {
            return;
        }
        if (Native.errno() != Errno.EINVAL) {
            throw Native.fail("make " + dir + " a shared mount");
        }
        Native.check(Native.C.mount(dir, dir, "none", Sys.MS_BIND | Sys.MS_REC, 0), "bind-mount " + dir);
        Native.check(Native.C.mount("", dir, "none", Sys.MS_SHARED | Sys.MS_REC, 0), "make " + dir + " shared");
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (NoSuchFileException e) {
            // gone already
        } catch (IOException e) {
            // best effort: the caller gets the original failure
        }
    }
}
