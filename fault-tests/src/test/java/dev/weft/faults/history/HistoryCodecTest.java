package dev.weft.faults.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryCodecTest {

    @TempDir
    Path dir;

    @Test
    void roundTripsEveryKindOfEventAndJoinsOpsAndFaults() {
        History h = new TestHistory("n1", "n2")
                .allocate("n1", "p1", "10.32.0.1/12", 1, 1.5)
                .fault(Fn.PARTITION, List.of("n1", "n2"), 2, 4)
                .read("n2", 5, 5.1, Map.of("p9", "10.32.0.9/12"))
                .done();
        assertThat(h.events()).hasSize(7);
        assertThat(h.meta().orElseThrow().path("scenario").asText()).isEqualTo("synthetic");
        assertThat(h.nodes()).containsExactly("n1", "n2");
        Op a = h.ops(Fn.ALLOCATE).getFirst();
        assertThat(a.ok()).isTrue();
        assertThat(a.result().asText()).isEqualTo("10.32.0.1/12");
        assertThat(a.latencyNanos()).isEqualTo(500_000_000L);
        assertThat(h.faults()).singleElement().satisfies(w -> {
            assertThat(w.f()).isEqualTo(Fn.PARTITION);
            assertThat(w.nodes()).containsExactly("n1", "n2");
            assertThat(w.stopNanos() - w.startNanos()).isEqualTo(2_000_000_000L);
        });
        for (Event e : h.events()) {
            assertThat(HistoryCodec.decode(HistoryCodec.encode(e))).isEqualTo(e);
        }
    }

    @Test
    void anOperationThatNeverCompletedIsIndeterminate() {
        TestHistory t = new TestHistory("n1");
        t.at(1).invoke("n1", Fn.ALLOCATE, "p1", null);
        t.at(9).read("n1", 9, 9.5, Map.of());
        History h = t.done();
        Op a = h.ops(Fn.ALLOCATE).getFirst();
        assertThat(a.indeterminate()).isTrue();
        assertThat(a.error()).isEqualTo("never completed");
        assertThat(a.completeNanos()).isEqualTo(h.endNanos());
    }

    @Test
    void malformedLinesAreRejectedWithAReason() {
        assertThatThrownBy(() -> HistoryCodec.decode("{not json")).hasMessageStartingWith("not JSON");
        assertThatThrownBy(() -> HistoryCodec.decode("[1,2]")).hasMessage("not a JSON object");
        assertThatThrownBy(() -> HistoryCodec.decode("{\"i\":0,\"type\":\"ok\"}"))
                .hasMessage("missing \"t\"");
        assertThatThrownBy(() -> HistoryCodec.decode("{\"i\":0,\"t\":1,\"type\":\"maybe\"}"))
                .hasMessage("unknown type \"maybe\"");
        assertThatThrownBy(() -> HistoryCodec.decode("{\"i\":0,\"t\":1,\"type\":\"ok\",\"nodes\":\"n1\"}"))
                .hasMessage("\"nodes\" must be an array");
        assertThatThrownBy(() -> HistoryCodec.decode("{\"i\":\"x\",\"t\":1,\"type\":\"ok\"}"))
                .hasMessage("\"i\" and \"t\" must be integers");
    }

    @Test
    void aTornLastLineIsIgnoredButABrokenMiddleLineNamesItsLine() throws Exception {
        Path f = dir.resolve("h.jsonl");
        String ok = "{\"i\":0,\"t\":1,\"type\":\"invoke\",\"op\":1,\"node\":\"n1\",\"f\":\"allocate\",\"pod\":\"p\"}";
        Files.writeString(f, ok + "\n{\"i\":1,\"t\":2,\"ty");
        assertThat(HistoryCodec.read(f).events()).hasSize(1);
        Files.writeString(f, ok + "\n{broken\n" + ok.replace("\"i\":0", "\"i\":2") + "\n");
        assertThatThrownBy(() -> HistoryCodec.read(f)).hasMessageContaining(":2: not JSON");
    }

    @Test
    void completionsMustMatchAnInvocation() {
        Event done = new Event(0, 1, Event.Type.OK, 7, "w", "n1", Fn.ALLOCATE, "p", List.of(), null, null);
        assertThatThrownBy(() -> new History(List.of(done)))
                .hasMessageContaining("op 7 completed without an invocation");
        Event inv = new Event(0, 1, Event.Type.INVOKE, 7, "w", "n1", Fn.ALLOCATE, "p", List.of(), null, null);
        Event ok = new Event(1, 2, Event.Type.OK, 7, "w", "n1", Fn.ALLOCATE, "p", List.of(), null, null);
        Event again = new Event(2, 3, Event.Type.OK, 7, "w", "n1", Fn.ALLOCATE, "p", List.of(), null, null);
        assertThatThrownBy(() -> new History(List.of(inv, ok, again))).hasMessageContaining("op 7 completed twice");
    }

    @Test
    void completingAnInvocationTwiceIsABugInTheHarness() {
        HistoryWriter w = new HistoryWriter(dir.resolve("x.jsonl"), () -> 0);
        HistoryWriter.Invocation inv = w.invoke("w", "n1", Fn.RELEASE, "p", null);
        inv.ok(null);
        assertThatThrownBy(() -> inv.fail("again")).isInstanceOf(IllegalStateException.class);
        w.close();
    }

    @Test
    void nodesSortNaturallyAndRemovalsAreKnown() {
        History h = new TestHistory("n10", "n2", "n1")
                .fault(Fn.REMOVE, List.of("n2"), 3, 3)
                .done();
        assertThat(h.nodes()).containsExactly("n1", "n2", "n10");
        assertThat(h.removedNodes()).containsOnlyKeys("n2");
        assertThat(h.liveNodes()).containsExactly("n1", "n10");
    }
}
