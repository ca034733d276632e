package dev.weft.sleeve.runtime;

import dev.weft.linux.api.Tap;
import dev.weft.sleeve.internal.engine.FramePort;
import java.nio.ByteBuffer;

/** The {@link FramePort} of a real TAP device. */
final class TapPort implements FramePort {
    private final Tap tap;
    private final int vnet;

    TapPort(Tap tap) {
        this.tap = tap;
        this.vnet = tap.config().vnetHeader() ? tap.config().vnetHeaderSize() : 0;
    }

    @Override
    public int vnetHeaderLength() {
        return vnet;
    }

    @Override
    public int read(ByteBuffer dst, boolean block) {
        return block ? tap.read(dst) : tap.tryRead(dst);
    }

    @Override
    public int write(ByteBuffer src) {
        return tap.write(src);
    }

    @Override
    public String name() {
        return tap.name();
    }

    @Override
    public void wakeup() {
        tap.wakeup();
    }

    @Override
    public void close() {
        tap.close();
    }
}
