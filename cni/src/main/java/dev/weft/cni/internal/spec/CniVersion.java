package dev.weft.cni.internal.spec;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/** The CNI spec versions Weft accepts, and in whose format it renders results. */
public enum CniVersion {
    V0_3_0("0.3.0"),
    V0_3_1("0.3.1"),
    V0_4_0("0.4.0"),
    V1_0_0("1.0.0"),
    V1_1_0("1.1.0");

    private static final Pattern SEMVER =
            Pattern.compile("(0|[1-9][0-9]{0,4})\\.(0|[1-9][0-9]{0,4})\\.(0|[1-9][0-9]{0,4})");

    private final String text;

    CniVersion(String text) {
        this.text = text;
    }

    /** The version as written in configs and results, e.g. {@code "0.3.1"}. */
    public String text() {
        return text;
    }

    /** Every supported version in ascending order, as VERSION reports them. */
    public static List<String> supported() {
        return Arrays.stream(values()).map(CniVersion::text).toList();
    }

    /**
     * Parses a config's {@code cniVersion}.
     *
     * @throws CniException code 6 for a string that is not a version, code 1 for a version Weft
     *     does not speak (naming the supported ones)
     */
    public static CniVersion parse(String text) throws CniException {
        if (!SEMVER.matcher(text).matches()) {
            throw new CniException(
                    CniErrorCode.DECODING_FAILURE,
                    "cniVersion \"" + text + "\" is not a version (want MAJOR.MINOR.PATCH)");
        }
        for (CniVersion v : values()) {
            if (v.text.equals(text)) {
                return v;
            }
        }
        throw new CniException(
                CniErrorCode.INCOMPATIBLE_VERSION,
                "incompatible CNI version " + text,
                "weft supports " + String.join(", ", supported()));
    }

    /** True when this version is at least {@code other}. */
    public boolean atLeast(CniVersion other) {
        return compareTo(other) >= 0;
    }
}
