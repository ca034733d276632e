package dev.weft.linux.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Real sockets on loopback, ephemeral ports. */
class UdpSocketTest {
    private static final int LOOPBACK = 0x7f000001;
    private final List<AutoCloseable> open = new ArrayList<>();

    private UdpSocket socket(boolean gro) {
        UdpSocket s = UdpSocket.open(new UdpSocket.Options(LOOPBACK, 0, 4 << 20, 4 << 20, true, gro));
        open.add(s);
        return s;
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private static ByteBuffer payload(int n, int seed) {
        ByteBuffer b = ByteBuffer.allocateDirect(n);
        for (int i = 0; i < n; i++) {
            b.put(i, (byte) (seed + i));
        }
        return b;
    }

    /** Receives until {@code datagrams} have arrived; returns them split by GRO segment size. */
    private static List<byte[]> receive(UdpSocket s, UdpReceiveBatch rb, int datagrams) {
        List<byte[]> got = new ArrayList<>();
        while (got.size() < datagrams) {
            int n = s.receive(rb, true);
            for (int i = 0; i < n; i++) {
                assertThat(rb.truncated(i)).isFalse();
                int seg = rb.segmentSize(i) == 0 ? rb.length(i) : rb.segmentSize(i);
                for (int at = 0; at < rb.length(i); at += seg) {
                    byte[] d = new byte[Math.min(seg, rb.length(i) - at)];
                    rb.buffer(i).get(rb.offset() + at, d);
                    got.add(d);
                }
            }
        }
        return got;
    }

    @Test
    void bindsAnEphemeralPortWithForcedBuffers() {
        UdpSocket s = socket(true);
        assertThat(s.port()).isPositive();
        assumeTrue(isRoot(), "SO_RCVBUFFORCE needs CAP_NET_ADMIN");
        assertThat(s.receiveBufferBytes()).isGreaterThanOrEqualTo(4 << 20);
        assertThat(s.sendBufferBytes()).isGreaterThanOrEqualTo(4 << 20);
        assertThat(s.receiveCoalescing()).isTrue();
    }

    @Test
    void segmentedSendArrivesAsEqualDatagramsWithTheirHeaders() {
        UdpSocket a = socket(false);
        UdpSocket b = socket(true);
        UdpSendBatch batch = new UdpSendBatch(64, 8, true);
        ByteBuffer data = payload(30 * 1000 + 333, 7);
        for (int i = 0; i < 31; i++) {
            int at = batch.nextHeaderIndex();
            batch.headers().putLong(at, i);
            int len = Math.min(1000, data.capacity() - i * 1000);
            batch.add(LOOPBACK, b.port(), 8, data, i * 1000, len);
        }
        assertThat(a.send(batch)).isEqualTo(31);
        assertThat(batch.failures()).isZero();
        UdpReceiveBatch rb = new UdpReceiveBatch(8, 65_536, 0);
        List<byte[]> got = receive(b, rb, 31);
        assertThat(got).hasSize(31);
        for (int i = 0; i < 31; i++) {
            ByteBuffer d = ByteBuffer.wrap(got.get(i));
            assertThat(d.getLong(0)).isEqualTo(i);
            assertThat(d.get(8)).isEqualTo((byte) (7 + i * 1000));
        }
        assertThat(got.get(30)).hasSize(8 + 333);
        assertThat(rb.source(0) & 0xffff).isEqualTo(a.port());
    }

    @Test
    void withoutSegmentationEveryDatagramIsItsOwnMessage() {
        UdpSocket a = socket(false);
        UdpSocket b = socket(false);
        UdpSendBatch batch = new UdpSendBatch(16, 0, false);
        ByteBuffer data = payload(5000, 1);
        for (int i = 0; i < 5; i++) {
            batch.add(LOOPBACK, b.port(), 0, data, i * 1000, 1000);
        }
        assertThat(a.send(batch)).isEqualTo(5);
        UdpReceiveBatch rb = new UdpReceiveBatch(8, 2048, 16);
        List<byte[]> got = receive(b, rb, 5);
        assertThat(got).hasSize(5).allMatch(d -> d.length == 1000);
    }

    @Test
    void datagramsBeyondTheMtuFailAndAreReportedWhileTheRestGo() {
        UdpSocket a = socket(false);
        UdpSocket b = socket(false);
        UdpSendBatch batch = new UdpSendBatch(4, 0, false);
        ByteBuffer big = payload(65_507, 0);
        batch.add(LOOPBACK, b.port(), 0, big, 0, 100);
        batch.add(LOOPBACK + 1, b.port(), 0, big, 0, 65_507); // loopback MTU is 65536: fits
        batch.add(LOOPBACK, 0, 0, big, 0, 10); // port 0: EINVAL
        batch.add(LOOPBACK, b.port(), 0, big, 0, 200);
        int sent = a.send(batch);
        assertThat(sent).isEqualTo(3);
        assertThat(batch.failures()).isEqualTo(1);
        assertThat(batch.failedErrno(0)).isEqualTo(Errno.EINVAL);
    }

    @Test
    void thePathMtuOfLoopbackIsItsDeviceMtu() {
        // loopback's device MTU is 65536; IP caps a path MTU at 65535
        assertThat(UdpSocket.pathMtu(LOOPBACK, 9)).isEqualTo(65_535);
    }

    @Test
    void wakeupReturnsABlockedReceive() throws Exception {
        UdpSocket b = socket(true);
        UdpReceiveBatch rb = new UdpReceiveBatch(2, 65_536, 0);
        int[] result = {-2};
        Thread t = new Thread(() -> result[0] = b.receive(rb, true));
        t.start();
        t.join(200);
        b.wakeup();
        t.join(5000);
        assertThat(result[0]).isZero();
        b.close();
        assertThat(b.receive(rb, true)).isEqualTo(-1);
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}
