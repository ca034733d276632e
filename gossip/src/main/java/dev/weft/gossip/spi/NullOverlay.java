package dev.weft.gossip.spi;

import dev.weft.gossip.api.Mesh;
import dev.weft.gossip.api.PeerName;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * The overlay that carries nothing: every connection is established as soon as it is confirmed.
 * For a mesh used only for gossip (control-plane tests, the simulator).
 */
public final class NullOverlay implements Overlay {

    @Override
    public String name() {
        return "none";
    }

    @Override
    public void start(Mesh mesh) {}

    @Override
    public void addFeaturesTo(Map<String, String> features) {}

    @Override
    public OverlayConnection prepareConnection(OverlayConnectionParams params) {
        return new OverlayConnection() {
            @Override
            public void confirm() {
                params.events().established();
            }

            @Override
            public void controlMessage(byte[] message) {}

            @Override
            public boolean forward(PeerName source, PeerName destination, ByteBuffer frame) {
                return false;
            }

            @Override
            public void stop() {}

            @Override
            public Map<String, String> attrs() {
                return Map.of();
            }
        };
    }

    @Override
    public Map<String, Object> diagnostics() {
        return Map.of();
    }

    @Override
    public void stop() {}
}
