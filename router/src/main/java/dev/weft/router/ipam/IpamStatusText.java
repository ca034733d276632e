package dev.weft.router.ipam;

import dev.weft.ipam.api.IpamStatus;
import java.util.Locale;

/** {@code weft status ipam}: the IPAM status as text for humans. */
public final class IpamStatusText {

    private IpamStatusText() {}

    public static String render(IpamStatus s) {
        StringBuilder b = new StringBuilder();
        b.append("        Service: ipam\n");
        b.append("         Status: ").append(s.summary()).append('\n');
        b.append("          State: ").append(s.state()).append('\n');
        b.append("           Peer: ").append(s.peer()).append('\n');
        b.append("          Range: ").append(s.range()).append('\n');
        b.append("  DefaultSubnet: ").append(s.defaultSubnet()).append('\n');
        b.append("           Init: ").append(s.init()).append('\n');
        b.append("      Allocated: ")
                .append(s.allocatedHere())
                .append(" here, ")
                .append(s.freeHere())
                .append(" free in this peer's ranges\n");
        if (s.pendingAllocations() > 0 || s.pendingClaims() > 0) {
            b.append("        Waiting: ")
                    .append(s.pendingAllocations())
                    .append(" allocations, ")
                    .append(s.pendingClaims())
                    .append(" claims\n");
        }
        if (s.refusedUpdates() > 0) {
            b.append("        Refused: ")
                    .append(s.refusedUpdates())
                    .append(" conflicting ring updates; last ")
                    .append(s.lastRefusal())
                    .append('\n');
        }
        if (!s.owners().isEmpty()) {
            b.append("\nRanges by owner:\n");
            for (IpamStatus.Owner o : s.owners()) {
                String label = o.nickname().isEmpty() ? o.peer() : o.peer() + "(" + o.nickname() + ")";
                b.append(String.format(
                        Locale.ROOT,
                        "  %-30s %9d IPs (%5.1f%% of total) %9d free",
                        label,
                        o.addresses(),
                        o.percent(),
                        o.free()));
                if (o.peer().equals(s.peer())) {
                    b.append(" (this peer)");
                }
                if (o.removed()) {
                    b.append(" - removed, awaiting its heir");
                } else if (!o.reachable()) {
                    b.append(" - unreachable!");
                }
                b.append('\n');
            }
        }
        if (!s.advice().isEmpty()) {
            b.append("\nWhat to do:\n");
            for (String a : s.advice()) {
                b.append("  - ").append(a).append('\n');
            }
        }
        return b.toString();
    }
}
