package dev.weft.linux.internal;

/** Names of rtnetlink message types for error messages ({@code linux/rtnetlink.h}). */
public final class RtnlNames {
    private static final String[] NAMES = {
        "RTM_NEWLINK", "RTM_DELLINK", "RTM_GETLINK", "RTM_SETLINK",
        "RTM_NEWADDR", "RTM_DELADDR", "RTM_GETADDR", null,
        "RTM_NEWROUTE", "RTM_DELROUTE", "RTM_GETROUTE", null,
        "RTM_NEWNEIGH", "RTM_DELNEIGH", "RTM_GETNEIGH", null,
    };

    private RtnlNames() {}

    public static String messageType(int type) {
        int i = type - 16;
        return i >= 0 && i < NAMES.length && NAMES[i] != null ? NAMES[i] : "rtnetlink message type " + type;
    }
}
