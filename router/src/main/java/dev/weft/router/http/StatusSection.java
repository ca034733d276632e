package dev.weft.router.http;

/**
 * One component's part of {@code weft status} ({@code GET /status}) and of {@code GET /report}.
 * Called on HTTP threads; must not block for long.
 */
public interface StatusSection {

    /** The section's name, e.g. {@code router}, {@code ipam}. */
    String name();

    /** Lines of {@code Key: value} text for {@code weft status}, without a trailing newline. */
    String text();

    /** JSON-friendly report (maps, lists, strings, numbers, booleans). */
    Object report();

    /** False while the component is not ready yet ({@code GET /status} answers 503 meanwhile). */
    default boolean ready() {
        return true;
    }
}
