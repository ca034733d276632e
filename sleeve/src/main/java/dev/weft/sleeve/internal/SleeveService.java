package dev.weft.sleeve.internal;

import dev.weft.gossip.spi.Overlay;
import dev.weft.sleeve.api.Drop;
import dev.weft.sleeve.api.Frame;
import dev.weft.sleeve.api.Lane;
import dev.weft.sleeve.api.Sleeve;
import dev.weft.sleeve.api.SleeveStatus;
import dev.weft.sleeve.internal.engine.SleeveEngine;
import dev.weft.sleeve.internal.engine.SleeveLink;
import dev.weft.sleeve.internal.engine.UdpAddress;
import dev.weft.sleeve.internal.overlay.SleeveOverlay;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** {@link Sleeve} over an engine and its overlay; the runtime starts the threads. */
public final class SleeveService implements Sleeve {
    private final SleeveEngine engine;
    private final SleeveOverlay overlay;
    private final Runnable onClose;

    public SleeveService(SleeveEngine engine, SleeveOverlay overlay, Runnable onClose) {
        this.engine = engine;
        this.overlay = overlay;
        this.onClose = onClose;
    }

    public SleeveEngine engine() {
        return engine;
    }

    @Override
    public Overlay overlay() {
        return overlay;
    }

    @Override
    public boolean established(long peer) {
        return overlay.established(peer);
    }

    @Override
    public int send(Lane lane, long nextHop, long srcPeer, long dstPeer, boolean flood, Frame frame) {
        return engine.send(lane, nextHop, srcPeer, dstPeer, flood, frame);
    }

    @Override
    public boolean inject(Lane lane, Frame frame) {
        return engine.inject(frame);
    }

    @Override
    public void replyTooBig(Lane lane, Frame frame, int mtu) {
        engine.replyTooBig(lane, frame, mtu);
    }

    @Override
    public int frameMtu(long peer) {
        SleeveLink l = engine.link(peer);
        return l == null ? -1 : l.frameMtu();
    }

    @Override
    public SleeveStatus status() {
        List<SleeveStatus.Link> links = new ArrayList<>();
        engine.links()
                .forEach((peer, l) -> links.add(new SleeveStatus.Link(
                        peer,
                        UdpAddress.toString(l.remoteAddress()),
                        l.cipher(),
                        overlay.state(peer).orElse("unknown"),
                        l.pathMtu(),
                        l.frameMtu(),
                        l.rxMessages(),
                        l.rxBytes(),
                        l.txMessages(),
                        l.txBytes())));
        links.sort(Comparator.comparingLong(SleeveStatus.Link::peer));
        Map<Drop, Long> drops = new EnumMap<>(Drop.class);
        engine.drops().snapshot().forEach((k, v) -> {
            if (v > 0) {
                drops.put(k, v);
            }
        });
        return new SleeveStatus(
                engine.socket().port(), engine.port().name(), engine.config().offloads(), List.copyOf(links), drops);
    }

    @Override
    public void close() {
        overlay.stop();
        engine.close();
        onClose.run();
    }
}
