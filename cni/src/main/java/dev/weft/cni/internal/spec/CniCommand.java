package dev.weft.cni.internal.spec;

import java.util.Optional;

/** The CNI verbs ({@code CNI_COMMAND}). */
public enum CniCommand {
    ADD,
    DEL,
    CHECK,
    GC,
    STATUS,
    VERSION;

    /** The verb named by {@code text} exactly, if any. */
    public static Optional<CniCommand> of(String text) {
        for (CniCommand c : values()) {
            if (c.name().equals(text)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
