package dev.basalt.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Redis's {@code client-output-buffer-limit <class> <hard> <soft> <soft seconds>}, repeated per class
 * (normal, replica/slave, pubsub). Basalt bounds what other threads push to a client (messages,
 * invalidations, MONITOR lines) with the pubsub class; sizes take Redis's units (1k = 1000, 1kb = 1024).
 */
public record OutputBufferLimits(long hardBytes, long softBytes, long softSeconds) {
    /** Redis's defaults for all three classes, in CONFIG GET's form. */
    public static final String DEFAULT = "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60";

    private static final Map<String, OutputBufferLimits> DEFAULTS = Map.of(
            "normal", new OutputBufferLimits(0, 0, 0),
            "slave", new OutputBufferLimits(268435456, 67108864, 60),
            "pubsub", new OutputBufferLimits(33554432, 8388608, 60));

    /** The limits of one class ("pubsub") in a directive's text; classes it leaves out keep Redis's defaults. */
    public static OutputBufferLimits of(String text, String className) {
        try {
            return parse(text).get(className);
        } catch (InvalidValueException e) {
            return DEFAULTS.get(className);
        }
    }

    /** Checks the text and gives every class its limits, in CONFIG GET's canonical text. */
    public static String canonical(String text) throws InvalidValueException {
        Map<String, OutputBufferLimits> m = parse(text);
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, OutputBufferLimits> e : m.entrySet()) {
            if (!sb.isEmpty()) {
                sb.append(' ');
            }
            OutputBufferLimits l = e.getValue();
            sb.append(e.getKey()).append(' ').append(l.hardBytes).append(' ').append(l.softBytes).append(' ')
                    .append(l.softSeconds);
        }
        return sb.toString();
    }

    private static Map<String, OutputBufferLimits> parse(String text) throws InvalidValueException {
        List<String> words = ConfigLine.splitWords(text);
        if (words.isEmpty() || words.size() % 4 != 0) {
            throw new InvalidValueException("Wrong number of arguments in buffer limit configuration.");
        }
        Map<String, OutputBufferLimits> m = new LinkedHashMap<>();
        m.put("normal", DEFAULTS.get("normal"));
        m.put("slave", DEFAULTS.get("slave"));
        m.put("pubsub", DEFAULTS.get("pubsub"));
        for (int i = 0; i < words.size(); i += 4) {
            String cls = words.get(i).toLowerCase(Locale.ROOT);
            if (cls.equals("replica")) {
                cls = "slave";
            }
            if (!m.containsKey(cls)) {
                throw new InvalidValueException("Invalid client class specified in buffer limit configuration.");
            }
            long hard = memory(words.get(i + 1));
            long soft = memory(words.get(i + 2));
            long seconds;
            try {
                seconds = Long.parseLong(words.get(i + 3));
            } catch (NumberFormatException e) {
                seconds = -1;
            }
            if (hard < 0 || soft < 0 || seconds < 0) {
                throw new InvalidValueException("Error in hard, soft or soft_seconds setting in buffer limit "
                        + "configuration.");
            }
            m.put(cls, new OutputBufferLimits(hard, soft, seconds));
        }
        return m;
    }

    /** Redis's memtoll: a number with an optional b, k, kb, m, mb, g or gb unit; -1 when malformed. */
    static long memory(String v) {
        String s = v.toLowerCase(Locale.ROOT);
        long mul = 1;
        String[][] units = {{"gb", "1073741824"}, {"mb", "1048576"}, {"kb", "1024"}, {"g", "1000000000"},
            {"m", "1000000"}, {"k", "1000"}, {"b", "1"}};
        for (String[] u : units) {
            if (s.endsWith(u[0])) {
                mul = Long.parseLong(u[1]);
                s = s.substring(0, s.length() - u[0].length());
                break;
            }
        }
        try {
            long n = Long.parseLong(s);
            return n < 0 ? -1 : Math.multiplyExact(n, mul);
        } catch (NumberFormatException | ArithmeticException e) {
            return -1;
        }
    }
}
