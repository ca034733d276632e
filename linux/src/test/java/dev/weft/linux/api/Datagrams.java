package dev.weft.linux.api;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;

/**
 * Sends a datagram and waits for it at the receiver. The kernel's per-CPU receive backlog is
 * shared with every other test on this machine, so a datagram lost under load is sent again (at
 * most 3 times, 3 s each): a path that does not work still fails.
 */
final class Datagrams {
    record Received(InetSocketAddress from, String text) {}

    private Datagrams() {}

    static Received exchange(DatagramChannel tx, DatagramChannel rx, String text) throws Exception {
        rx.configureBlocking(false);
        ByteBuffer got = ByteBuffer.allocate(2048);
        try (Selector s = Selector.open()) {
            rx.register(s, SelectionKey.OP_READ);
            for (int attempt = 0; attempt < 3; attempt++) {
                tx.send(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), rx.getLocalAddress());
                if (s.select(3000) > 0) {
                    InetSocketAddress from = (InetSocketAddress) rx.receive(got);
                    return new Received(from, new String(got.array(), 0, got.position(), StandardCharsets.UTF_8));
                }
            }
        }
        throw new AssertionError("no datagram at " + rx.getLocalAddress() + " after 3 attempts");
    }
}
