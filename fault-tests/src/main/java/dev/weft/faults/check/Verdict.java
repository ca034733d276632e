package dev.weft.faults.check;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A checker's judgement of one history.
 *
 * @param checker the checker's name
 * @param result PASS, FAIL, or UNKNOWN when the history holds too little to judge (say why in
 *     {@code summary})
 * @param summary one line a person can read
 * @param figures measured numbers, e.g. {@code duplicates}, {@code heal_s} (insertion order kept)
 * @param anomalies each violation found, readable, with times and names (at most {@link
 *     #MAX_ANOMALIES} kept)
 */
public record Verdict(
        String checker, Result result, String summary, Map<String, Double> figures, List<String> anomalies) {

    public static final int MAX_ANOMALIES = 50;

    /** The outcome. */
    public enum Result {
        PASS,
        FAIL,
        UNKNOWN
    }

    public Verdict {
        figures = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(figures));
        anomalies = List.copyOf(anomalies.subList(0, Math.min(anomalies.size(), MAX_ANOMALIES)));
    }

    public boolean passed() {
        return result == Result.PASS;
    }

    public boolean failed() {
        return result == Result.FAIL;
    }

    /** A figure, or {@code orElse} when absent. */
    public double figure(String name, double orElse) {
        return figures.getOrDefault(name, orElse);
    }
}
