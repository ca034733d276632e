package dev.weft.faults.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/** Choosing victims: majorities, minorities, pairs, all drawn from the run's seeded randomness. */
public final class Sides {

    private Sides() {}

    /** The nodes in a random order. */
    public static List<String> shuffled(List<String> nodes, RandomGenerator random) {
        List<String> s = new ArrayList<>(nodes);
        for (int i = s.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            String t = s.get(i);
            s.set(i, s.get(j));
            s.set(j, t);
        }
        return s;
    }

    /** A random split into a majority (first) and a minority (second, at least one node). */
    public static List<List<String>> majorityMinority(List<String> nodes, RandomGenerator random) {
        if (nodes.size() < 2) {
            throw new IllegalArgumentException("need two nodes to split: " + nodes);
        }
        List<String> s = shuffled(nodes, random);
        int minority = (nodes.size() - 1) / 2 == 0 ? 1 : (nodes.size() - 1) / 2;
        return List.of(sorted(s.subList(minority, s.size())), sorted(s.subList(0, minority)));
    }

    private static List<String> sorted(List<String> l) {
        List<String> s = new ArrayList<>(l);
        s.sort(java.util.Comparator.comparingInt(String::length).thenComparing(java.util.Comparator.naturalOrder()));
        return List.copyOf(s);
    }
}
