package dev.basalt.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * One kvrocks.conf directive: its type, default, validation, and whether CONFIG SET may change it
 * while the server runs. {@link #normalize} turns a user's text into the canonical form that
 * {@link Config} stores (numbers without leading zeros, sizes in bytes, enums and booleans in lower
 * case), or says why the text is refused.
 */
public final class Directive {
    /** How a value is read. */
    public enum Type {
        /** Free text. */
        STRING,
        /** A decimal integer within [min, max]. */
        INT,
        /** yes or no (any case). */
        BOOL,
        /** One of a fixed set of words (any case). */
        ENUM,
        /** A byte count, optionally with a K/M/G/T/P unit (powers of 1024, as Kvrocks reads them). */
        SIZE,
        /** Several whitespace-separated words on one line (bind). */
        LIST,
        /** May appear on several lines, each line one entry of exactly two words (rename-command). */
        MULTI
    }

    /** Rewrites a checked value into the form CONFIG GET shows (notify-keyspace-events' flag letters...). */
    @FunctionalInterface
    public interface Canonical {
        String apply(String value) throws InvalidValueException;
    }

    /** An extra check on the canonical value, beyond the type's own. */
    @FunctionalInterface
    public interface Check {
        void check(String canonical) throws InvalidValueException;
    }

    private final String name;
    private final Type type;
    private final String defaultValue;
    private final long min;
    private final long max;
    private final List<String> choices;
    private final boolean mutable;
    private final boolean applied;
    private final String description;
    private final Check check;
    private final Consumer<String> onChange;
    private final Canonical canonical;

    private Directive(Builder b) {
        this.name = b.name;
        this.type = b.type;
        this.defaultValue = b.defaultValue;
        this.min = b.min;
        this.max = b.max;
        this.choices = List.copyOf(b.choices);
        this.mutable = b.mutable;
        this.applied = b.applied;
        this.description = b.description;
        this.check = b.check;
        this.onChange = b.onChange;
        this.canonical = b.canonical;
    }

    public String name() {
        return name;
    }

    public Type type() {
        return type;
    }

    /** The canonical default; for MULTI directives the empty string (no entries). */
    public String defaultValue() {
        return defaultValue;
    }

    public long min() {
        return min;
    }

    public long max() {
        return max;
    }

    public List<String> choices() {
        return choices;
    }

    /** True when CONFIG SET may change it while the server runs. */
    public boolean mutable() {
        return mutable;
    }

    /**
     * True when Basalt acts on the value; false for directives accepted (and validated, kept, shown
     * by CONFIG GET) only so that Kvrocks's configuration files load unchanged.
     */
    public boolean applied() {
        return applied;
    }

    /** A one-line description for --help, or empty. */
    public String description() {
        return description;
    }

    /** Runs after CONFIG SET stored a new value (e.g. log-level reaches the logger at once). */
    public void changed(String canonical) {
        if (onChange != null) {
            onChange.accept(canonical);
        }
    }

    /** Checks a single value and returns its canonical form. For MULTI directives: one entry's text. */
    public String normalize(String value) throws InvalidValueException {
        String v = switch (type) {
            case STRING -> value;
            case INT -> Long.toString(parseInt(value));
            case BOOL -> parseBool(value);
            case ENUM -> parseEnum(value);
            case SIZE -> Long.toString(parseSize(value));
            case LIST -> normalizeTokens(ConfigLine.splitWords(value));
            case MULTI -> normalizeTokens(ConfigLine.tokens(value));
        };
        if (canonical != null && type == Type.STRING) {
            v = canonical.apply(v);
        }
        if (check != null) {
            check.check(v);
        }
        return v;
    }

    /** Checks the words of a LIST or MULTI directive (as the config-line parser split them). */
    public String normalizeTokens(List<String> tokens) throws InvalidValueException {
        if (type == Type.LIST) {
            List<String> words = new ArrayList<>();
            for (String t : tokens) {
                words.addAll(ConfigLine.splitWords(t));
            }
            if (words.isEmpty()) {
                throw new InvalidValueException("expects at least one value");
            }
            String v = String.join(" ", words);
            if (canonical != null) {
                v = canonical.apply(v);
            }
            if (check != null) {
                check.check(v);
            }
            return v;
        }
        if (type == Type.MULTI) {
            if (tokens.size() != 2) {
                throw new InvalidValueException("expects exactly two values (" + tokens.size() + " given)");
            }
            String v = ConfigLine.quote(tokens.get(0)) + " " + ConfigLine.quote(tokens.get(1));
            if (check != null) {
                check.check(v);
            }
            return v;
        }
        if (tokens.size() != 1) {
            throw new InvalidValueException("expects one value (" + tokens.size()
                    + " given; quote a value that contains spaces)");
        }
        return normalize(tokens.get(0));
    }

    private long parseInt(String v) throws InvalidValueException {
        long n;
        try {
            n = strictLong(v);
        } catch (NumberFormatException e) {
            throw new InvalidValueException(notIntegerInRange(v), "argument couldn't be parsed into an integer");
        }
        if (n < min || n > max) {
            throw new InvalidValueException(notIntegerInRange(v),
                    "argument must be between " + min + " and " + max + " inclusive");
        }
        return n;
    }

    private String notIntegerInRange(String v) {
        return "'" + v + "' is not an integer in [" + min + ", " + max + "]";
    }

    /** Decimal digits with an optional leading minus and nothing else (no spaces, no '+'), like Redis's string2ll. */
    static long strictLong(String v) {
        if (v.isEmpty() || v.length() > 20) {
            throw new NumberFormatException(v);
        }
        int start = v.charAt(0) == '-' ? 1 : 0;
        if (start == v.length()) {
            throw new NumberFormatException(v);
        }
        for (int i = start; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') {
                throw new NumberFormatException(v);
            }
        }
        return Long.parseLong(v);
    }

    private static String parseBool(String v) throws InvalidValueException {
        if (v.equalsIgnoreCase("yes")) {
            return "yes";
        }
        if (v.equalsIgnoreCase("no")) {
            return "no";
        }
        throw new InvalidValueException("'" + v + "' is not yes or no", "argument must be 'yes' or 'no'");
    }

    private String parseEnum(String v) throws InvalidValueException {
        String lower = v.toLowerCase(Locale.ROOT);
        if (choices.contains(lower)) {
            return lower;
        }
        throw new InvalidValueException("'" + v + "' is not one of " + String.join("|", choices),
                "argument(s) must be one of the following: " + String.join(", ", choices));
    }

    private long parseSize(String v) throws InvalidValueException {
        long n;
        try {
            n = parseSizeValue(v);
        } catch (NumberFormatException e) {
            throw new InvalidValueException("'" + v + "' is not a size (a byte count, optionally with a unit K, M, G, T or P)",
                    "argument must be a memory value");
        }
        if (n < min || n > max) {
            throw new InvalidValueException("'" + v + "' is not a size in [" + min + ", " + max + "] bytes",
                    "argument must be between " + min + " and " + max + " inclusive");
        }
        return n;
    }

    /** "536870912", "512m", "512MB", "1g": units are powers of 1024; throws on anything else or on overflow. */
    static long parseSizeValue(String v) {
        int end = 0;
        while (end < v.length() && v.charAt(end) >= '0' && v.charAt(end) <= '9') {
            end++;
        }
        if (end == 0 || end > 19) {
            throw new NumberFormatException(v);
        }
        long n = Long.parseLong(v.substring(0, end));
        String unit = v.substring(end).toLowerCase(Locale.ROOT);
        int shift = switch (unit) {
            case "", "b" -> 0;
            case "k", "kb" -> 10;
            case "m", "mb" -> 20;
            case "g", "gb" -> 30;
            case "t", "tb" -> 40;
            case "p", "pb" -> 50;
            default -> throw new NumberFormatException(v);
        };
        if (shift > 0 && n > (Long.MAX_VALUE >> shift)) {
            throw new NumberFormatException(v);
        }
        return n << shift;
    }

    static Builder builder(String name, Type type, String defaultValue) {
        return new Builder(name, type, defaultValue);
    }

    static final class Builder {
        private final String name;
        private final Type type;
        private final String defaultValue;
        private long min = Long.MIN_VALUE;
        private long max = Long.MAX_VALUE;
        private final List<String> choices = new ArrayList<>();
        private boolean mutable;
        private boolean applied;
        private String description = "";
        private Check check;
        private Consumer<String> onChange;
        private Canonical canonical;

        private Builder(String name, Type type, String defaultValue) {
            this.name = name;
            this.type = type;
            this.defaultValue = defaultValue;
        }

        Builder range(long lo, long hi) {
            this.min = lo;
            this.max = hi;
            return this;
        }

        Builder choices(String... cs) {
            choices.addAll(List.of(cs));
            return this;
        }

        /** CONFIG SET may change it at run time. */
        Builder mutable() {
            this.mutable = true;
            return this;
        }

        /** Basalt acts on it. */
        Builder applied() {
            this.applied = true;
            return this;
        }

        Builder description(String d) {
            this.description = d;
            return this;
        }

        Builder check(Check c) {
            this.check = c;
            return this;
        }

        Builder canonical(Canonical c) {
            this.canonical = c;
            return this;
        }

        Builder onChange(Consumer<String> c) {
            this.onChange = c;
            return this;
        }

        Directive build() {
            return new Directive(this);
        }
    }
}
