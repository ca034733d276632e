package dev.weft.faults.scenario;

import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/** Every scenario by name, and the smoke subset CI runs. */
public final class Scenarios {

    private Scenarios() {}

    private static final List<Supplier<Scenario>> ALL = List.of(
            SymmetricPartitionThenHeal::new,
            MinorityIsolated::new,
            AsymmetricLinkLoss::new,
            FlappingLink::new,
            KillAndRestartDuringAllocations::new,
            PauseDuringDonation::new,
            RemoveDeadNodeWithRmpeer::new,
            PacketLossTenPercent::new,
            DonationUnderChurn::new);

    /** The names of the smoke scenarios: one network fault, one process fault. */
    public static final List<String> SMOKE = List.of("SymmetricPartitionThenHeal", "KillAndRestartDuringAllocations");

    /** Fresh instances of every scenario (scenarios may keep per-run choices). */
    public static List<Scenario> all() {
        return ALL.stream().map(Supplier::get).toList();
    }

    /** A fresh instance of the scenario called {@code name} (case-insensitive). */
    public static Scenario byName(String name) {
        return all().stream()
                .filter(s -> s.name().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT)))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no scenario " + name + "; known: "
                        + all().stream().map(Scenario::name).toList()));
    }
}
