package dev.weft.router.internal.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.gossip.api.PeerName;
import dev.weft.gossip.spi.OverlayConnection;
import dev.weft.gossip.spi.OverlayConnectionParams;
import dev.weft.gossip.spi.OverlayEvents;
import dev.weft.gossip.spi.OverlayException;
import dev.weft.sleeve.api.Lane;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OverlaySwitchTest {
    static final PeerName A = PeerName.of(0xa);
    static final PeerName B = PeerName.of(0xb);
    static final Lane LANE = () -> "test";

    final FakeSleeve sleeve = new FakeSleeve();
    final FakeSleeve.FakeOverlay fast = new FakeSleeve.FakeOverlay("fastdp");
    final OverlaySwitch sw = new OverlaySwitch(List.of(fast, sleeve.overlay()), sleeve);
    final List<String> events = new ArrayList<>();
    final List<byte[]> wire = new ArrayList<>();
    final List<String> active = new ArrayList<>();

    OverlayConnection connect(String theirOverlays, boolean outbound) throws OverlayException {
        sw.onActiveOverlayChanged((peer, name) -> active.add(peer + "=" + name));
        Map<String, String> features = new HashMap<>();
        if (theirOverlays != null) {
            features.put(OverlaySwitch.FEATURE, theirOverlays);
        }
        return sw.prepareConnection(new OverlayConnectionParams(
                B,
                "b",
                new InetSocketAddress("10.0.0.1", 6783),
                new InetSocketAddress("10.0.0.2", 6783),
                outbound,
                7,
                Optional.empty(),
                wire::add,
                features,
                new OverlayEvents() {
                    @Override
                    public void established() {
                        events.add("established");
                    }

                    @Override
                    public void failed(String reason) {
                        events.add("failed " + reason);
                    }
                }));
    }

    @Test
    void announcesItsOverlaysInPreferenceOrder() {
        Map<String, String> f = new HashMap<>();
        sw.addFeaturesTo(f);
        assertThat(f).containsEntry("overlays", "fastdp sleeve").containsKeys("fastdp", "sleeve");
    }

    @Test
    void aPeerWithoutTheFeatureGetsSleeveOnly() throws Exception {
        OverlayConnection c = connect(null, true);
        assertThat(fast.connections).isEmpty();
        assertThat(sleeve.overlay.connections).hasSize(1);
        assertThat(c.attrs())
                .containsEntry("overlay", "sleeve")
                .containsEntry("why", "the only overlay both peers run");
    }

    @Test
    void prefersTheFastPathOnceEstablishedAndFallsBackToSleeveWhenItFails() throws Exception {
        OverlayConnection c = connect("fastdp sleeve", true);
        c.confirm();
        FakeSleeve.FakeConnection f = fast.connections.get(0);
        FakeSleeve.FakeConnection s = sleeve.overlay.connections.get(0);
        assertThat(f.confirmed && s.confirmed).isTrue();
        // nothing established yet: the most preferred working one
        assertThat(c.attrs()).containsEntry("overlay", "fastdp").containsEntry("why", "preferred, not established yet");
        s.params.events().established();
        assertThat(events).containsExactly("established");
        assertThat(c.attrs()).containsEntry("overlay", "sleeve").containsEntry("why", "fastdp not established yet");
        f.params.events().established();
        assertThat(c.attrs()).containsEntry("overlay", "fastdp").containsEntry("why", "preferred, established");

        // frames for B now go through the fast path's forward
        var fwd = ForwarderTest.frame(0x02000000000bL, 0x02000000000aL, 60, false);
        var routes = PeerRoutes.of(A, List.of(A, B), ForwarderTest.line(A));
        assertThat(sw.send(LANE, routes, B.value(), A.value(), B.value(), false, fwd))
                .isEqualTo(OverlaySwitch.SENT);
        assertThat(f.forwardedTo).containsExactly(B);
        assertThat(sleeve.sent).isEmpty();
        // the fast path refuses a frame: sleeve carries it
        f.accept = false;
        sw.send(LANE, routes, B.value(), A.value(), B.value(), false, fwd);
        assertThat(sleeve.sent).hasSize(1);

        f.params.events().failed("heartbeats stopped");
        assertThat(f.stopped).isTrue();
        assertThat(c.attrs())
                .containsEntry("overlay", "sleeve")
                .containsEntry("why", "fastdp failed: heartbeats stopped");
        assertThat(events).containsExactly("established");
        assertThat(active).containsExactly(B + "=fastdp", B + "=sleeve", B + "=fastdp", B + "=sleeve");
        s.params.events().failed("no heartbeat");
        assertThat(events).last().asString().startsWith("failed fastdp: heartbeats stopped; sleeve: no heartbeat");
    }

    @Test
    void aSuspendedFastPathHandsFramesToSleeveUntilItResumes() throws Exception {
        OverlayConnection c = connect("fastdp sleeve", true);
        c.confirm();
        FakeSleeve.FakeConnection f = fast.connections.get(0);
        FakeSleeve.FakeConnection s = sleeve.overlay.connections.get(0);
        s.params.events().established();
        f.params.events().established();
        var fwd = ForwarderTest.frame(0x02000000000bL, 0x02000000000aL, 60, false);
        var routes = PeerRoutes.of(A, List.of(A, B), ForwarderTest.line(A));

        f.params.events().suspended("no heartbeat acknowledged for 10 s");
        assertThat(c.attrs())
                .containsEntry("overlay", "sleeve")
                .containsEntry("why", "fastdp on hold: no heartbeat acknowledged for 10 s");
        sw.send(LANE, routes, B.value(), A.value(), B.value(), false, fwd);
        assertThat(f.forwardedTo).as("not even asked").isEmpty();
        assertThat(sleeve.sent).hasSize(1);
        assertThat(f.stopped).as("on hold is not failed").isFalse();

        f.params.events().resumed();
        assertThat(c.attrs()).containsEntry("overlay", "fastdp").containsEntry("why", "preferred, established");
        sw.send(LANE, routes, B.value(), A.value(), B.value(), false, fwd);
        assertThat(f.forwardedTo).containsExactly(B);
        assertThat(active).containsExactly(B + "=fastdp", B + "=sleeve", B + "=fastdp", B + "=sleeve", B + "=fastdp");

        s.params.events().failed("no heartbeat");
        f.params.events().suspended("no heartbeat received for 10 s");
        assertThat(c.attrs())
                .containsEntry("overlay", "fastdp")
                .containsEntry("why", "on hold: no heartbeat received for 10 s; no other overlay works");
        assertThat(events).containsExactly("established");
    }

    @Test
    void controlMessagesAreTaggedWithTheSubConnectionsIndex() throws Exception {
        OverlayConnection c = connect("fastdp sleeve", false);
        FakeSleeve.FakeConnection s = sleeve.overlay.connections.get(0);
        s.params.control().send(new byte[] {9, 8});
        assertThat(wire).hasSize(1);
        assertThat(wire.get(0)).containsExactly(1, 9, 8);
        c.controlMessage(new byte[] {1, 5});
        c.controlMessage(new byte[] {0, 6});
        c.controlMessage(new byte[] {7, 6}); // no such index: ignored
        c.controlMessage(new byte[0]);
        assertThat(s.control).hasSize(1);
        assertThat(s.control.get(0)).containsExactly(5);
        assertThat(fast.connections.get(0).control.get(0)).containsExactly(6);
    }

    @Test
    void theDiallersOrderWins() throws Exception {
        connect("sleeve fastdp", false);
        OverlayConnection c = sw.prepareConnection(sleeve.overlay.connections.get(0).params);
        assertThat(c.attrs()).containsEntry("overlay", "sleeve");
    }

    @Test
    void refusesWhenNothingIsInCommonOrEveryOverlayRefuses() {
        assertThatThrownBy(() -> connect("awsvpc", true)).hasMessageContaining("no overlay in common");
        fast.refuse = true;
        sleeve.overlay.refuse = true;
        assertThatThrownBy(() -> connect("fastdp sleeve", true)).hasMessageContaining("fastdp cannot");
    }
}
