package dev.weft.fastpath.internal.odp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.fastpath.api.Vni;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OdpForwarderTest {
    private static final int VXLAN = 1;
    private static final int POD_A = 2;
    private static final int POD_B = 3;
    private static final int LOCAL_ID = 0x101;
    private static final int PEER_ID = 0x202;
    private static final int OTHER_PEER_ID = 0x303;
    private static final int LOCAL_IP = 0x0a000001;
    private static final int PEER_IP = 0x0a000002;
    private static final int OTHER_PEER_IP = 0x0a000003;
    private static final long MAC_A = 0x02_00_00_00_00_0aL;
    private static final long MAC_B = 0x02_00_00_00_00_0bL;
    private static final long MAC_REMOTE = 0x02_00_00_00_00_99L;

    private final RecordingDatapath datapath = new RecordingDatapath();
    private final List<String> heartbeats = new ArrayList<>();
    private OdpForwarder forwarder;

    @BeforeEach
    void setUp() {
        forwarder = new OdpForwarder(
                datapath,
                VXLAN,
                LOCAL_ID,
                LOCAL_IP,
                (id, ip, frame) -> heartbeats.add(id + "@" + Integer.toHexString(ip) + ":" + frame.length));
        forwarder.addLocalPort(POD_A);
        forwarder.addLocalPort(POD_B);
        forwarder.setPeers(Map.of(PEER_ID, PEER_IP));
    }

    @Test
    void unknownUnicastIsFloodedEverywhereWithoutAFlow() {
        forwarder.onMiss(local(POD_A, MAC_A, MAC_B));

        assertThat(datapath.flows).isEmpty();
        assertThat(datapath.executed).singleElement().satisfies(e -> {
            assertThat(e.inPort()).isEqualTo(POD_A);
            assertThat(e.actions())
                    .containsExactly(new OdpAction.Output(POD_B), setTunnelTo(PEER_ID, PEER_IP), output(VXLAN));
        });
    }

    @Test
    void knownLocalDestinationGetsAnOutputFlow() {
        forwarder.onMiss(local(POD_B, MAC_B, Mac.BROADCAST)); // learns B on POD_B
        forwarder.onMiss(local(POD_A, MAC_A, MAC_B));

        assertThat(datapath.flows.get(OdpFlowKey.of(POD_A, MAC_A, MAC_B)).actions())
                .containsExactly(output(POD_B));
        assertThat(datapath.executed.getLast().actions()).containsExactly(output(POD_B));
    }

    @Test
    void broadcastGetsAFloodFlowToLocalPortsAndEveryPeer() {
        forwarder.setPeers(Map.of(PEER_ID, PEER_IP, OTHER_PEER_ID, OTHER_PEER_IP));
        forwarder.onMiss(local(POD_A, MAC_A, Mac.BROADCAST));

        assertThat(datapath.flows
                        .get(OdpFlowKey.of(POD_A, MAC_A, Mac.BROADCAST))
                        .actions())
                .containsExactly(
                        output(POD_B),
                        setTunnelTo(PEER_ID, PEER_IP),
                        output(VXLAN),
                        setTunnelTo(OTHER_PEER_ID, OTHER_PEER_IP),
                        output(VXLAN));
    }

    @Test
    void frameFromAPeerIsDeliveredLocallyAndItsSourceLearnt() {
        forwarder.onMiss(local(POD_A, MAC_A, Mac.BROADCAST));
        OdpTunnelKey tunnel = new OdpTunnelKey(Vni.of(PEER_ID, LOCAL_ID), PEER_IP, LOCAL_IP, 64);
        forwarder.onMiss(tunnelled(tunnel, MAC_REMOTE, MAC_A));

        OdpFlowKey inbound = new OdpFlowKey(VXLAN, MAC_REMOTE, MAC_A, tunnel);
        assertThat(datapath.flows.get(inbound).actions()).containsExactly(output(POD_A));

        forwarder.onMiss(local(POD_A, MAC_A, MAC_REMOTE));
        assertThat(datapath.flows.get(OdpFlowKey.of(POD_A, MAC_A, MAC_REMOTE)).actions())
                .as("the reply goes straight to the peer that owns the MAC, VNI = our id | its id << 12")
                .containsExactly(setTunnelTo(PEER_ID, PEER_IP), output(VXLAN));
        assertThat(Vni.of(LOCAL_ID, PEER_ID)).isEqualTo(0x202101);
    }

    @Test
    void framesForAnotherShortIdOrFromAnUnknownPeerAreDropped() {
        forwarder.onMiss(tunnelled(new OdpTunnelKey(Vni.of(PEER_ID, 0x999), PEER_IP, LOCAL_IP, 64), MAC_REMOTE, MAC_A));
        forwarder.onMiss(tunnelled(
                new OdpTunnelKey(Vni.of(OTHER_PEER_ID, LOCAL_ID), OTHER_PEER_IP, LOCAL_IP, 64), MAC_REMOTE, MAC_A));
        forwarder.onMiss(tunnelled(new OdpTunnelKey(1L << 30, PEER_IP, LOCAL_IP, 64), MAC_REMOTE, MAC_A));

        assertThat(datapath.flows).isEmpty();
        assertThat(datapath.executed).isEmpty();
        assertThat(forwarder.dropped()).isEqualTo(3);
    }

    @Test
    void zeroMacFramesThroughTheTunnelAreHeartbeats() {
        forwarder.onMiss(tunnelled(new OdpTunnelKey(Vni.of(PEER_ID, LOCAL_ID), PEER_IP, LOCAL_IP, 64), 0, 0));

        assertThat(heartbeats).containsExactly(PEER_ID + "@a000002:60");
        assertThat(datapath.flows).isEmpty();
        assertThat(datapath.executed).isEmpty();
    }

    @Test
    void heartbeatsPassFromPeersThatAreNotCarriedButTheirFramesDoNot() {
        forwarder.setPeers(Map.of());
        forwarder.onMiss(tunnelled(new OdpTunnelKey(Vni.of(PEER_ID, LOCAL_ID), PEER_IP, LOCAL_IP, 64), 0, 0));
        forwarder.onMiss(tunnelled(new OdpTunnelKey(Vni.of(PEER_ID, LOCAL_ID), PEER_IP, LOCAL_IP, 64), MAC_B, MAC_A));

        assertThat(heartbeats).containsExactly(PEER_ID + "@a000002:60");
        assertThat(forwarder.dropped()).isEqualTo(1);
        assertThat(datapath.executed).isEmpty();
    }

    @Test
    void hairpinFlowsAreVetoed() {
        forwarder.onMiss(local(POD_A, MAC_B, Mac.BROADCAST)); // B appears on POD_A
        int before = datapath.flows.size();
        forwarder.onMiss(local(POD_A, MAC_A, MAC_B));

        assertThat(datapath.flows).hasSize(before);
        assertThat(forwarder.vetoes()).isEqualTo(1);
    }

    @Test
    void peerSetShortIdAndMacMovesFlushFlows() {
        forwarder.onMiss(local(POD_A, MAC_A, Mac.BROADCAST));
        assertThat(datapath.flows).hasSize(1);
        int flushes = datapath.flushes;

        forwarder.setPeers(Map.of(PEER_ID, PEER_IP)); // unchanged: no flush
        assertThat(datapath.flushes).isEqualTo(flushes);

        forwarder.setPeers(Map.of(PEER_ID, PEER_IP, OTHER_PEER_ID, OTHER_PEER_IP));
        assertThat(datapath.flushes).isEqualTo(flushes + 1);
        assertThat(datapath.flows).isEmpty();

        forwarder.setLocalShortId(0x111);
        assertThat(datapath.flushes).isEqualTo(flushes + 2);

        forwarder.onMiss(local(POD_A, MAC_A, Mac.BROADCAST));
        forwarder.onMiss(local(POD_B, MAC_A, Mac.BROADCAST)); // A moved to POD_B
        assertThat(datapath.flushes).isEqualTo(flushes + 3);
    }

    @Test
    void aPeerLeavingTheFastPathIsNoLongerTunnelledTo() {
        forwarder.onMiss(
                tunnelled(new OdpTunnelKey(Vni.of(PEER_ID, LOCAL_ID), PEER_IP, LOCAL_IP, 64), MAC_REMOTE, MAC_A));
        forwarder.setPeers(Map.of());
        forwarder.onMiss(local(POD_A, MAC_A, MAC_REMOTE));

        assertThat(datapath.executed.getLast().actions()).containsExactly(output(POD_B));
        assertThat(datapath.flows).isEmpty();
    }

    @Test
    void idleFlowsExpireAndUsedOnesHaveTheirCountersReset() {
        forwarder.onMiss(local(POD_B, MAC_B, Mac.BROADCAST));
        forwarder.onMiss(local(POD_A, MAC_A, MAC_B));
        OdpFlowKey used = OdpFlowKey.of(POD_A, MAC_A, MAC_B);
        datapath.use(used, 12345);

        assertThat(forwarder.expireIdleFlows()).isEqualTo(1);
        assertThat(datapath.flows.keySet()).containsExactly(used);
        assertThat(datapath.flows.get(used).usedMillis()).isZero();

        assertThat(forwarder.expireIdleFlows()).isEqualTo(1);
        assertThat(datapath.flows).isEmpty();
    }

    private static final int SLEEVE = 9;
    private static final long MAC_VIA_SLEEVE = 0x02_00_00_00_00_55L;

    @Test
    void floodsFromPodsReachSleevesPortOnlyWhileSleeveFloodingIsOn() {
        forwarder.setSleevePort(SLEEVE);
        forwarder.onMiss(local(POD_A, MAC_A, Mac.BROADCAST));
        assertThat(datapath.flows
                        .get(OdpFlowKey.of(POD_A, MAC_A, Mac.BROADCAST))
                        .actions())
                .containsExactly(output(POD_B), setTunnelTo(PEER_ID, PEER_IP), output(VXLAN), output(SLEEVE));

        int flushes = datapath.flushes;
        forwarder.setSleeveFlooding(false);
        assertThat(datapath.flushes).as("the flood flows change").isEqualTo(flushes + 1);
        forwarder.onMiss(local(POD_A, MAC_A, Mac.BROADCAST));
        assertThat(datapath.flows
                        .get(OdpFlowKey.of(POD_A, MAC_A, Mac.BROADCAST))
                        .actions())
                .containsExactly(output(POD_B), setTunnelTo(PEER_ID, PEER_IP), output(VXLAN));
    }

    @Test
    void framesFromSleeveReachLocalPortsOnlyAndRepliesGoBackToSleeve() {
        forwarder.setSleevePort(SLEEVE);
        forwarder.onMiss(local(POD_A, MAC_A, Mac.BROADCAST));

        forwarder.onMiss(local(SLEEVE, MAC_VIA_SLEEVE, Mac.BROADCAST));
        assertThat(datapath.executed.getLast().actions())
                .as("split horizon: a peer's broadcast never goes back to peers")
                .containsExactly(output(POD_A), output(POD_B));
        forwarder.onMiss(local(SLEEVE, MAC_VIA_SLEEVE, MAC_A));
        assertThat(datapath.flows
                        .get(OdpFlowKey.of(SLEEVE, MAC_VIA_SLEEVE, MAC_A))
                        .actions())
                .containsExactly(output(POD_A));

        forwarder.onMiss(local(POD_A, MAC_A, MAC_VIA_SLEEVE));
        assertThat(datapath.flows
                        .get(OdpFlowKey.of(POD_A, MAC_A, MAC_VIA_SLEEVE))
                        .actions())
                .containsExactly(output(SLEEVE));
    }

    @Test
    void sleeveNeverSendsIntoTheTunnelAndTheTunnelNeverIntoSleeve() {
        forwarder.setSleevePort(SLEEVE);
        OdpTunnelKey tunnel = new OdpTunnelKey(Vni.of(PEER_ID, LOCAL_ID), PEER_IP, LOCAL_IP, 64);
        forwarder.onMiss(tunnelled(tunnel, MAC_REMOTE, Mac.BROADCAST)); // learns MAC_REMOTE at the peer
        forwarder.onMiss(local(SLEEVE, MAC_VIA_SLEEVE, MAC_REMOTE));
        assertThat(datapath.executed.getLast().inPort())
                .as("nothing executed for sleeve -> peer")
                .isEqualTo(VXLAN);
        assertThat(datapath.flows.keySet()).noneMatch(k -> k.inPort() == SLEEVE);
        assertThat(forwarder.vetoes()).isEqualTo(1);

        forwarder.onMiss(tunnelled(tunnel, MAC_REMOTE, MAC_VIA_SLEEVE));
        assertThat(datapath.executed.getLast().actions())
                .as("a peer's frame for a MAC behind sleeve only floods local ports")
                .containsExactly(output(POD_A), output(POD_B));
    }

    @Test
    void aMacThatMovesFromSleeveToTheTunnelFlushesAndForgettingSleevesMacsFlushes() {
        forwarder.setSleevePort(SLEEVE);
        forwarder.onMiss(local(SLEEVE, MAC_REMOTE, Mac.BROADCAST));
        int flushes = datapath.flushes;
        OdpTunnelKey tunnel = new OdpTunnelKey(Vni.of(PEER_ID, LOCAL_ID), PEER_IP, LOCAL_IP, 64);
        forwarder.onMiss(tunnelled(tunnel, MAC_REMOTE, Mac.BROADCAST));
        assertThat(datapath.flushes).isEqualTo(flushes + 1);
        forwarder.onMiss(local(POD_A, MAC_A, MAC_REMOTE));
        assertThat(datapath.flows.get(OdpFlowKey.of(POD_A, MAC_A, MAC_REMOTE)).actions())
                .containsExactly(setTunnelTo(PEER_ID, PEER_IP), output(VXLAN));

        forwarder.onMiss(local(SLEEVE, MAC_VIA_SLEEVE, Mac.BROADCAST));
        flushes = datapath.flushes;
        forwarder.forgetSleeveMacs();
        assertThat(datapath.flushes).isEqualTo(flushes + 1);
        forwarder.forgetSleeveMacs();
        assertThat(datapath.flushes).as("nothing left to forget").isEqualTo(flushes + 1);
    }

    @Test
    void aPortCannotBeBothSleeveAndLocal() {
        forwarder.setSleevePort(SLEEVE);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> forwarder.addLocalPort(SLEEVE))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> forwarder.setSleevePort(POD_A))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static OdpMiss local(int port, long src, long dst) {
        return new OdpMiss(7, new byte[60], OdpFlowKey.of(port, src, dst));
    }

    private static OdpMiss tunnelled(OdpTunnelKey tunnel, long src, long dst) {
        return new OdpMiss(7, new byte[60], new OdpFlowKey(VXLAN, src, dst, tunnel));
    }

    private static OdpAction output(int port) {
        return new OdpAction.Output(port);
    }

    private static OdpAction setTunnelTo(int peer, int ip) {
        return new OdpAction.SetTunnel(OdpTunnelKey.toPeer(Vni.of(LOCAL_ID, peer), LOCAL_IP, ip));
    }
}
