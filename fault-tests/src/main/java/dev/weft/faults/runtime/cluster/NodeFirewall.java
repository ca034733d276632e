package dev.weft.faults.runtime.cluster;

import java.time.Duration;
import java.util.Locale;

/**
 * The nemesis's iptables rules in one node, all in two chains of their own ({@code WEFT-NEM-IN}
 * jumped to first from INPUT, {@code WEFT-NEM-OUT} from OUTPUT) so healing is a flush and the
 * router's own rules are never touched. Rules match the other nodes' addresses on the cluster
 * network (not interface names: a reconnected node's interface is renamed), which carries the
 * control connections (TCP) and the data plane (sleeve UDP, VXLAN) alike.
 *
 * <p>Every method blocks until iptables has run (a few tens of milliseconds) and throws if it fails.
 */
public final class NodeFirewall {

    static final String IN = "WEFT-NEM-IN";
    static final String OUT = "WEFT-NEM-OUT";
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final Node node;
    private final String subnet;

    NodeFirewall(Node node, String subnet) {
        this.node = node;
        this.subnet = subnet;
    }

    /** Creates the chain and the jumps to it. Idempotent. */
    public void install() {
        node.sh(TIMEOUT, chainSetup(IN, "INPUT") + " && " + chainSetup(OUT, "OUTPUT"))
                .check(node.name());
    }

    private static String chainSetup(String chain, String from) {
        return "{ iptables -w -N " + chain + " 2>/dev/null; true; } && { iptables -w -C " + from + " -j " + chain
                + " 2>/dev/null || iptables -w -I " + from + " 1 -j " + chain + "; }";
    }

    /** Drops every packet this node receives from {@code from} (a one-way cut from -> this node). */
    public void dropFrom(Node from) {
        rule("-A " + IN + " -s " + from.ip() + " -j DROP");
    }

    /** Drops every packet this node sends to {@code to} (a one-way cut this node -> to). */
    public void dropTo(Node to) {
        rule("-A " + OUT + " -d " + to.ip() + " -j DROP");
    }

    /** Drops each packet arriving on the cluster network with probability {@code p} (0 < p < 1). */
    public void loseIncoming(double p) {
        if (!(p > 0 && p < 1)) {
            throw new IllegalArgumentException("loss probability must be in (0, 1): " + p);
        }
        rule("-A " + IN + " ! -i lo -s " + subnet + " -m statistic --mode random --probability "
                + String.format(Locale.ROOT, "%.4f", p) + " -j DROP");
    }

    /** Removes every nemesis rule (heals this node's cuts and loss). Idempotent. */
    public void clear() {
        node.sh(TIMEOUT, "iptables -w -F " + IN + " && iptables -w -F " + OUT).check(node.name());
    }

    /** The nemesis rules now in place, as {@code iptables -S} prints them. */
    public String rules() {
        return node.sh(TIMEOUT, "iptables -w -S " + IN + " && iptables -w -S " + OUT)
                .check(node.name())
                .stdout();
    }

    private void rule(String spec) {
        node.sh(TIMEOUT, "iptables -w " + spec).check(node.name());
    }
}
