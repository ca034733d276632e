package dev.weft.sleeve.internal.engine;

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

    final class Sink extends CopyingSink {
        private final long from;
        private final List<Datagram> batch = new ArrayList<>();
        int flushes;

        Sink(long from) {
            this.from = from;
        }

        @Override
        protected void datagram(long remote, ByteBuffer datagram) {
            batch.add(new Datagram(from, remote, datagram.array()));
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
