package dev.weft.router.http;

/** The {@code Key: value} layout of {@code weft status}. */
public final class StatusText {

    private StatusText() {}

    /** {@code key} right-aligned to 16 characters, then {@code : value}, then a newline. */
    public static String line(String key, Object value) {
        return " ".repeat(Math.max(0, 16 - key.length())) + key + ": " + value + "\n";
    }
}
