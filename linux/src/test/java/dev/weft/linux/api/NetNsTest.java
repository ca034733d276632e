package dev.weft.linux.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class NetNsTest {

    @Test
    void createRunAndDeleteANamedNamespaceLikeIproute2() throws Exception {
        try (TestNamespaces t = new TestNamespaces()) {
            NetNs ns = t.create("a");
            assertThat(Path.of("/run/netns", t.prefix + "a")).exists();
            assertThat(NetNs.list()).contains(t.prefix + "a");

            // Code in run() sees the namespace as its own, and a fresh one has only loopback.
            long inside = ns.call(
                    () -> ((Number) Files.getAttribute(Path.of("/proc/thread-self/ns/net"), "unix:ino")).longValue());
            assertThat(inside).isEqualTo(ns.inode());
            try (NetNs host = NetNs.current()) {
                assertThat(host.inode()).isNotEqualTo(ns.inode());
            }
            try (NetNs again = NetNs.open(t.prefix + "a")) {
                assertThat(again.inode()).isEqualTo(ns.inode());
            }
            assertThat(ns.call(() -> {
                        try (RtNetlink rt = RtNetlink.open()) {
                            return rt.links().list().stream().map(Link::name).toList();
                        }
                    }))
                    .containsExactly("lo");

            // The same dedicated thread runs every task.
            AtomicReference<String> first = new AtomicReference<>();
            ns.run(() -> first.set(Thread.currentThread().getName()));
            assertThat(ns.call(() -> Thread.currentThread().getName())).isEqualTo(first.get());

            // A task may call into its own namespace without waiting for itself.
            assertThat(ns.call(() -> ns.call(() -> 42))).isEqualTo(42);

            // Exceptions come back as they are.
            assertThatThrownBy(() -> ns.call(() -> {
                        throw new IllegalArgumentException("boom");
                    }))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("boom");

            // Also readable through /proc/PID/ns/net of our own process.
            try (NetNs self =
                    NetNs.open(Path.of("/proc/" + ProcessHandle.current().pid() + "/ns/net"))) {
                assertThat(self.inode()).isNotEqualTo(ns.inode());
            }
            ns.close();
            assertThat(NetNs.delete(t.prefix + "a")).isTrue();
            assertThat(NetNs.delete(t.prefix + "a")).isFalse();
            assertThat(t.leftovers()).isEmpty();
        }
    }

    @Test
    void socketsOpenedInRunBelongToTheNamespaceEvenWhenUsedElsewhere() throws Exception {
        try (TestNamespaces t = new TestNamespaces()) {
            NetNs ns = t.create("s");
            // 127.0.0.1 in a fresh namespace is unusable until its loopback is up: a socket from
            // this namespace can only bind it after we brought *that* loopback up.
            try (RtNetlink rt = RtNetlink.open(ns)) {
                rt.links().setUp("lo");
            }
            DatagramChannel inNs = t.closeLater(ns.call(DatagramChannel::open));
            // Bound from the test thread (host namespace): the socket still lives in ns.
            inNs.bind(new InetSocketAddress("127.0.0.1", 0));
            int port = ((InetSocketAddress) inNs.getLocalAddress()).getPort();
            // /proc/thread-self/net shows the calling thread's namespace (/proc/net the process's).
            // Java's sockets are AF_INET6 (dual stack), so they are listed in udp6.
            String local = String.format(":%04X ", port);
            String inNsTable = ns.call(() -> Files.readString(Path.of("/proc/thread-self/net/udp6")));
            assertThat(inNsTable).contains(local);
            String hostTable = Files.readString(Path.of("/proc/thread-self/net/udp6"))
                    + Files.readString(Path.of("/proc/thread-self/net/udp"));
            assertThat(hostTable)
                    .as("the socket is listed in the namespace's table, not the host's")
                    .doesNotContain(local);
        }
    }

    @Test
    void callOnThisThreadEntersAndReturnsWithoutAnotherThread() throws Exception {
        try (TestNamespaces t = new TestNamespaces()) {
            NetNs ns = t.create("h");
            long home = ino();
            Thread caller = Thread.currentThread();
            long inside = ns.callOnThisThread(() -> {
                assertThat(Thread.currentThread()).isSameAs(caller);
                return ino();
            });
            assertThat(inside).isEqualTo(ns.inode()).isNotEqualTo(home);
            assertThat(ino()).as("back in its own namespace").isEqualTo(home);
            // a socket made there stays there: a fresh namespace has only loopback
            try (RtNetlink rt = RtNetlink.openFromThisThread(ns)) {
                assertThat(rt.links().list()).extracting(Link::name).containsExactly("lo");
            }
            // a failing task still brings the thread back
            assertThatThrownBy(() -> ns.callOnThisThread(() -> {
                        throw new java.io.IOException("boom");
                    }))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("boom");
            assertThat(ino()).isEqualTo(home);
        }
    }

    private static long ino() throws java.io.IOException {
        return ((Number) Files.getAttribute(Path.of("/proc/thread-self/ns/net"), "unix:ino")).longValue();
    }

    @Test
    void badNamespacePathsGiveClearErrors() {
        try (TestNamespaces t = new TestNamespaces()) {
            assertThatThrownBy(() -> NetNs.open(t.prefix + "missing"))
                    .isInstanceOf(KernelException.class)
                    .hasMessage("open netns /run/netns/" + t.prefix + "missing: No such file or directory (ENOENT)")
                    .satisfies(e -> assertThat(((KernelException) e).notFound()).isTrue());
            assertThatThrownBy(() -> NetNs.open(Path.of("/etc/hostname")))
                    .isInstanceOf(KernelException.class)
                    .hasMessageContaining("/etc/hostname: not a network namespace")
                    .hasMessageContaining("(EINVAL)");
            assertThatThrownBy(() -> NetNs.open(Path.of("/proc/self/ns/uts")))
                    .isInstanceOf(KernelException.class)
                    .hasMessageContaining("not a network namespace");
            assertThatThrownBy(() -> NetNs.open("../etc")).isInstanceOf(IllegalArgumentException.class);
            t.create("dup");
            assertThatThrownBy(() -> NetNs.create(t.prefix + "dup"))
                    .isInstanceOf(KernelException.class)
                    .hasMessage("create netns " + t.prefix + "dup: File exists (EEXIST)");
            assertThat(t.leftovers()).containsExactly(t.prefix + "dup");
        }
    }
}
