package dev.weft.linux.api;

/** RFC 2863 operational state of a link ({@code IF_OPER_*} in {@code linux/if.h}), in kernel order. */
public enum OperState {
    UNKNOWN,
    NOTPRESENT,
    DOWN,
    LOWERLAYERDOWN,
    TESTING,
    DORMANT,
    UP;

    static OperState of(int v) {
        OperState[] all = values();
        return v >= 0 && v < all.length ? all[v] : UNKNOWN;
    }
}
