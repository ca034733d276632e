package dev.weft.linux.api;

/**
 * What {@link Links#create} should make: a name, a kind and optional settings. A mutable builder:
 * build one per create call on one thread; setters return {@code this}.
 */
public final class LinkSpec {
    /** Linux's limit on interface names: IFNAMSIZ (16) including the NUL. */
    public static final int MAX_NAME_LENGTH = 15;

    private final String name;
    private final String kind;
    private int mtu;
    private MacAddress mac;
    private int masterIndex;
    private boolean up;
    private NetNs netNs;
    private String peerName;
    private NetNs peerNetNs;
    private VxlanInfo vxlan;

    private LinkSpec(String name, String kind) {
        this.name = checkName(name);
        this.kind = kind;
    }

    /** A Linux bridge. */
    public static LinkSpec bridge(String name) {
        return new LinkSpec(name, "bridge");
    }

    /** A veth pair {@code name} / {@code peerName}; see {@link #peerNetNs} to place the peer. */
    public static LinkSpec veth(String name, String peerName) {
        LinkSpec s = new LinkSpec(name, "veth");
        s.peerName = checkName(peerName);
        return s;
    }

    /** A VXLAN device. */
    public static LinkSpec vxlan(String name, VxlanInfo config) {
        LinkSpec s = new LinkSpec(name, "vxlan");
        s.vxlan = config;
        return s;
    }

    /** Any other kind the kernel knows without extra data (e.g. {@code "dummy"}, {@code "ifb"}). */
    public static LinkSpec of(String name, String kind) {
        return new LinkSpec(name, kind);
    }

    /** MTU in bytes (also the veth peer's). */
    public LinkSpec mtu(int bytes) {
        if (bytes < 68 || bytes > 65535) {
            throw new IllegalArgumentException("MTU " + bytes + " out of range [68, 65535]");
        }
        this.mtu = bytes;
        return this;
    }

    public LinkSpec mac(MacAddress address) {
        this.mac = address;
        return this;
    }

    /** Enslave to the bridge with this index at creation. */
    public LinkSpec master(int index) {
        this.masterIndex = index;
        return this;
    }

    /** Bring the link up at creation. */
    public LinkSpec up() {
        this.up = true;
        return this;
    }

    /** Create the link directly in {@code ns} (the handle must stay open until create returns). */
    public LinkSpec netNs(NetNs ns) {
        this.netNs = ns;
        return this;
    }

    /** Create the veth peer directly in {@code ns}. */
    public LinkSpec peerNetNs(NetNs ns) {
        if (peerName == null) {
            throw new IllegalStateException("only a veth has a peer");
        }
        this.peerNetNs = ns;
        return this;
    }

    public String name() {
        return name;
    }

    public String kind() {
        return kind;
    }

    int mtuValue() {
        return mtu;
    }

    MacAddress macValue() {
        return mac;
    }

    int masterIndexValue() {
        return masterIndex;
    }

    boolean upValue() {
        return up;
    }

    NetNs netNsValue() {
        return netNs;
    }

    String peerNameValue() {
        return peerName;
    }

    NetNs peerNetNsValue() {
        return peerNetNs;
    }

    VxlanInfo vxlanValue() {
        return vxlan;
    }

    /** Rejects names Linux would reject (empty, too long, '/', whitespace, "." and ".."). */
    public static String checkName(String name) {
        if (name == null
                || name.isEmpty()
                || name.length() > MAX_NAME_LENGTH
                || name.equals(".")
                || name.equals("..")
                || name.chars().anyMatch(c -> c == '/' || c == ':' || Character.isWhitespace(c) || c > 126)) {
            throw new IllegalArgumentException("bad interface name \"" + name + "\" (1-" + MAX_NAME_LENGTH
                    + " printable ASCII characters, no '/', ':' or spaces)");
        }
        return name;
    }
}
