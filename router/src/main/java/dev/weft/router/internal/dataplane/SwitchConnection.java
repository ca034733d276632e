package dev.weft.router.internal.dataplane;

import dev.weft.gossip.api.PeerName;
import dev.weft.gossip.spi.OverlayConnection;
import dev.weft.gossip.spi.OverlayConnectionParams;
import dev.weft.gossip.spi.OverlayEvents;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One mesh connection as the {@link OverlaySwitch} runs it: a sub-connection per overlay both
 * peers run, in preference order, and the choice of the one frames use. State changes come from
 * the sub-connections' events (any thread), so they are synchronized; the data plane reads the
 * choice from a volatile field.
 */
final class SwitchConnection implements OverlayConnection {
    private final OverlaySwitch owner;
    private final OverlayConnectionParams params;
    private final List<String> names;
    private final OverlayConnection[] subs;
    private final boolean[] established;
    private final String[] failed;
    /** Why a sub-connection does not carry frames for now (suspended), or null. */
    private final String[] held;

    private boolean reportedEstablished;
    private boolean reportedFailed;
    private volatile int active = -1;
    private volatile OverlayConnection activeOther;
    private volatile boolean stopped;

    SwitchConnection(OverlaySwitch owner, OverlayConnectionParams params, List<String> names) {
        this.owner = owner;
        this.params = params;
        this.names = List.copyOf(names);
        this.subs = new OverlayConnection[names.size()];
        this.established = new boolean[names.size()];
        this.failed = new String[names.size()];
        this.held = new String[names.size()];
    }

    PeerName remote() {
        return params.remotePeer();
    }

    OverlayConnectionParams subParams(int index) {
        OverlayEvents events = new OverlayEvents() {
            @Override
            public void established() {
                subEstablished(index);
            }

            @Override
            public void failed(String reason) {
                subFailed(index, reason);
            }

            @Override
            public void suspended(String reason) {
                subHeld(index, reason);
            }

            @Override
            public void resumed() {
                subHeld(index, null);
            }
        };
        return new OverlayConnectionParams(
                params.remotePeer(),
                params.remoteNickname(),
                params.localAddress(),
                params.remoteAddress(),
                params.outbound(),
                params.connectionUid(),
                params.sessionKey(),
                message -> {
                    byte[] m = new byte[message.length + 1];
                    m[0] = (byte) index;
                    System.arraycopy(message, 0, m, 1, message.length);
                    params.control().send(m);
                },
                params.remoteFeatures(),
                events);
    }

    synchronized void add(int index, OverlayConnection c) {
        subs[index] = c;
        choose();
    }

    synchronized void refused(int index, String reason) {
        failed[index] = "refused: " + reason;
    }

    synchronized boolean anyWorking() {
        for (int i = 0; i < subs.length; i++) {
            if (subs[i] != null && failed[i] == null) {
                return true;
            }
        }
        return false;
    }

    private synchronized void subEstablished(int index) {
        if (stopped || failed[index] != null) {
            return;
        }
        established[index] = true;
        choose();
        if (!reportedEstablished) {
            reportedEstablished = true;
            params.events().established();
        }
    }

    /** A sub-connection stopped (reason) or resumed (null) carrying frames; it stays up. */
    private synchronized void subHeld(int index, String reason) {
        if (stopped || failed[index] != null) {
            return;
        }
        held[index] = reason;
        choose();
    }

    private synchronized void subFailed(int index, String reason) {
        if (failed[index] != null) {
            return;
        }
        failed[index] = reason;
        established[index] = false;
        OverlayConnection c = subs[index];
        if (c != null) {
            c.stop();
        }
        choose();
        if (!anyWorking() && !reportedFailed) {
            reportedFailed = true;
            StringBuilder why = new StringBuilder();
            for (int i = 0; i < names.size(); i++) {
                why.append(i == 0 ? "" : "; ").append(names.get(i)).append(": ").append(failed[i]);
            }
            params.events().failed(why.toString());
        }
    }

    /**
     * Picks the most preferred established sub-connection that is not on hold, else the most
     * preferred working one not on hold, else the most preferred working one.
     */
    private void choose() {
        int best = -1;
        for (int i = 0; i < subs.length && best < 0; i++) {
            if (subs[i] != null && failed[i] == null && established[i] && held[i] == null) {
                best = i;
            }
        }
        for (int i = 0; i < subs.length && best < 0; i++) {
            if (subs[i] != null && failed[i] == null && held[i] == null) {
                best = i;
            }
        }
        for (int i = 0; i < subs.length && best < 0; i++) {
            if (subs[i] != null && failed[i] == null) {
                best = i;
            }
        }
        if (best != active) {
            active = best;
            activeOther = best >= 0 && !owner.isSleeve(names.get(best)) ? subs[best] : null;
            if (best >= 0) {
                owner.activeChanged(params.remotePeer(), names.get(best));
            }
        }
    }

    /** The non-sleeve sub-connection frames should use now, or null when sleeve carries them. */
    OverlayConnection activeOther() {
        return activeOther;
    }

    @Override
    public void confirm() {
        OverlayConnection[] s;
        synchronized (this) {
            s = subs.clone();
        }
        owner.publish(this);
        for (OverlayConnection c : s) {
            if (c != null) {
                c.confirm();
            }
        }
    }

    @Override
    public void controlMessage(byte[] message) {
        if (message.length < 1) {
            return;
        }
        int index = message[0] & 0xff;
        OverlayConnection c;
        synchronized (this) {
            c = index < subs.length && failed[index] == null ? subs[index] : null;
        }
        if (c != null) {
            c.controlMessage(Arrays.copyOfRange(message, 1, message.length));
        }
    }

    @Override
    public boolean forward(PeerName source, PeerName destination, ByteBuffer frame) {
        int a = active;
        OverlayConnection c = a >= 0 ? subs[a] : null;
        return c != null && c.forward(source, destination, frame);
    }

    @Override
    public void stop() {
        OverlayConnection[] s;
        synchronized (this) {
            stopped = true;
            s = subs.clone();
        }
        owner.unpublish(this);
        for (int i = 0; i < s.length; i++) {
            if (s[i] != null) {
                s[i].stop();
            }
        }
    }

    /** The overlay in use and why, and its attributes: what {@code weft status connections} shows. */
    @Override
    public synchronized Map<String, String> attrs() {
        Map<String, String> a = new LinkedHashMap<>();
        int best = active;
        if (best < 0) {
            a.put("overlay", "none");
            a.put("why", "every overlay failed");
            return a;
        }
        a.put("overlay", names.get(best));
        a.putAll(subs[best].attrs());
        a.put("why", why(best));
        return a;
    }

    private String why(int best) {
        if (names.size() == 1) {
            return "the only overlay both peers run";
        }
        if (best == 0) {
            if (held[0] != null) {
                return "on hold: " + held[0] + "; no other overlay works";
            }
            return established[0] ? "preferred, established" : "preferred, not established yet";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < best; i++) {
            sb.append(i == 0 ? "" : ", ").append(names.get(i)).append(' ');
            if (failed[i] != null) {
                sb.append("failed: ").append(failed[i]);
            } else if (held[i] != null) {
                sb.append("on hold: ").append(held[i]);
            } else {
                sb.append("not established yet");
                String reason = subs[i] == null ? null : subs[i].attrs().get("reason");
                if (reason != null && !reason.isEmpty()) {
                    sb.append(": ").append(reason);
                }
            }
        }
        return sb.toString();
    }
}
