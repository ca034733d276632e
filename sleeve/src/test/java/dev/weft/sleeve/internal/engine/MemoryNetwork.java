package dev.weft.sleeve.internal.engine;

import dev.weft.sleeve.internal.wire.DatagramHeader;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * An in-memory UDP network for engine tests: sinks cut messages into datagrams exactly as the
 * native sink does, the network queues them, and {@link #deliverAll()} hands them to the
 * receivers (flushing their lanes, so relays travel on). Datagrams can be captured, dropped,
 * reordered and replayed.
 */
final class MemoryNetwork {
    record Datagram(long from, long to, byte[] bytes) {}

    private final Map<Long, Receiver> receivers = new HashMap<>();
    private final Deque<Datagram> inFlight = new ArrayDeque<>();
    final List<Datagram> captured = new ArrayList<>();
    Predicate<Datagram> drop = d -> false;

    void attach(long address, Receiver receiver) {
        receivers.put(address, receiver);
    }

    Sink sink(long from) {
        return new Sink(from);
    }

    void inject(Datagram d) {
        inFlight.add(d);
    }

    void injectFirst(Datagram d) {
        inFlight.addFirst(d);
    }

    List<Datagram> pending() {
        return new ArrayList<>(inFlight);
    }

    void reverseInFlight() {
        List<Datagram> l = new ArrayList<>(inFlight);
        java.util.Collections.reverse(l);
        inFlight.clear();
        inFlight.addAll(l);
    }

    int deliverAll() {
        int n = 0;
        while (!inFlight.isEmpty()) {
            Datagram d = inFlight.poll();
            Receiver r = receivers.get(d.to());
            if (r == null || drop.test(d)) {
                continue;
            }
            ByteBuffer b = ByteBuffer.allocate(d.bytes().length + 64);
            b.put(64, d.bytes());
            r.datagram(b, 64, d.bytes().length, d.from());
            r.lane().flush();
            n++;
        }
        return n;
    }

    final class Sink implements DatagramSink {
        private final long from;
        private final List<Datagram> batch = new ArrayList<>();
        int flushes;

        Sink(long from) {
            this.from = from;
        }

        @Override
        public boolean queue(
                long remote,
                int kind,
                int cipherId,
                long sender,
                long seq,
                ByteBuffer sealed,
                int offset,
                int length,
                int datagramPayload) {
            int f = Fragments.fragmentLength(length, datagramPayload);
            for (int at = 0; at < length; at += f) {
                int n = Math.min(f, length - at);
                ByteBuffer d = ByteBuffer.allocate(DatagramHeader.LENGTH + n);
                DatagramHeader.write(d, 0, kind, cipherId, sender, length, at, seq);
                d.put(DatagramHeader.LENGTH, sealed, offset + at, n);
                batch.add(new Datagram(from, remote, d.array()));
            }
            return true;
        }

        @Override
        public void flush() {
            flushes++;
            for (Datagram d : batch) {
                captured.add(d);
                inFlight.add(d);
            }
            batch.clear();
        }
    }
}
