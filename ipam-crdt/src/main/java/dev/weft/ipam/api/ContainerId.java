package dev.weft.ipam.api;

import java.util.regex.Pattern;

/**
 * Who an address is allocated to: a container or pod sandbox id (CNI passes the sandbox id), or
 * another name such as {@code weft:expose}. 1 to 128 characters from {@code [A-Za-z0-9_.:-]},
 * starting with a letter or digit.
 *
 * <p>Immutable and thread-safe.
 */
public record ContainerId(String value) implements Comparable<ContainerId> {

    /** Longest accepted id; container ids are 64 hex characters. */
    public static final int MAX_LENGTH = 128;

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}");

    public ContainerId {
        if (value == null || !VALID.matcher(value).matches()) {
            throw IpamException.badRequest("bad container id \"" + Address.clip(value) + "\": want 1 to " + MAX_LENGTH
                    + " characters from [A-Za-z0-9_.:-], starting with a letter or digit");
        }
    }

    /** Same as the constructor; reads better at call sites. */
    public static ContainerId of(String value) {
        return new ContainerId(value);
    }

    @Override
    public int compareTo(ContainerId o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
