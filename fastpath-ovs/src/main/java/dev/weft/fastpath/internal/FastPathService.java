package dev.weft.fastpath.internal;

import dev.weft.fastpath.api.FastPath;
import dev.weft.fastpath.api.FastPathStatus;
import dev.weft.fastpath.internal.driver.Driver;
import dev.weft.fastpath.internal.overlay.FastPathOverlay;
import dev.weft.gossip.spi.Overlay;

/** {@link FastPath} over a driver and its overlay; the runtime builds it. */
public final class FastPathService implements FastPath {
    private final Driver driver;
    private final FastPathOverlay overlay;
    private volatile boolean closed;

    public FastPathService(Driver driver, FastPathOverlay overlay) {
        this.driver = driver;
        this.overlay = overlay;
    }

    @Override
    public Overlay overlay() {
        return overlay;
    }

    @Override
    public String driver() {
        return driver.kind();
    }

    @Override
    public String port() {
        return driver.port();
    }

    @Override
    public int mtu() {
        return driver.mtu();
    }

    @Override
    public FastPathStatus status() {
        return overlay.status();
    }

    @Override
    public boolean attachPod(String ifname) {
        return driver.attachPod(ifname);
    }

    @Override
    public boolean detachPod(String ifname) {
        return driver.detachPod(ifname);
    }

    @Override
    public boolean hasPod(String ifname) {
        return driver.hasPod(ifname);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        overlay.stop();
        driver.close();
    }
}
