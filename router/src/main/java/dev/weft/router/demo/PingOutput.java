package dev.weft.router.demo;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads iputils {@code ping -q} output: sent, received and the average round trip. */
public final class PingOutput {
    private static final Pattern COUNTS = Pattern.compile("(\\d+) packets transmitted, (\\d+) (?:packets )?received");
    private static final Pattern RTT = Pattern.compile("= ([\\d.]+)/([\\d.]+)/([\\d.]+)/([\\d.]+) ms");

    private PingOutput() {}

    /** The ping's result; 0 sent and received when the output has no statistics (ping failed to run). */
    public static Result parse(String output) {
        Matcher c = COUNTS.matcher(output);
        if (!c.find()) {
            return new Result(0, 0, Double.NaN);
        }
        int sent = Integer.parseInt(c.group(1));
        int received = Integer.parseInt(c.group(2));
        Matcher r = RTT.matcher(output);
        double avg = r.find() ? Double.parseDouble(r.group(2)) : Double.NaN;
        return new Result(sent, received, received > 0 ? avg : Double.NaN);
    }

    /** sent, received, average round trip in ms (NaN without replies). */
    public record Result(int sent, int received, double avgMs) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%d/%d received, avg %.3f ms", received, sent, avgMs);
        }
    }
}
