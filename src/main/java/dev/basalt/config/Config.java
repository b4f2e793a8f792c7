package dev.basalt.config;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The server's configuration: every directive's current value as text, keyed by lower-case name.
 * Readers fetch values when they need them, so CONFIG SET takes effect without restarts where the
 * directive allows it.
 */
public final class Config {
    private final Map<String, String> values = new ConcurrentHashMap<>();

    public Config(Map<String, String> initial) {
        initial.forEach((k, v) -> values.put(k.toLowerCase(Locale.ROOT), v));
    }

    /** A configuration with every directive at its default. */
    public static Config defaults() {
        return new Config(ConfigSchema.defaults());
    }

    public String get(String name) {
        return values.get(name.toLowerCase(Locale.ROOT));
    }

    public String getString(String name) {
        String v = get(name);
        return v == null ? "" : v;
    }

    public long getLong(String name) {
        return Long.parseLong(getString(name).trim());
    }

    public int getInt(String name) {
        return Integer.parseInt(getString(name).trim());
    }

    public boolean getBool(String name) {
        return "yes".equalsIgnoreCase(getString(name).trim());
    }

    /** Sets a value without validation; callers validate through {@link ConfigSchema}. */
    public void put(String name, String value) {
        values.put(name.toLowerCase(Locale.ROOT), value);
    }

    public Map<String, String> snapshot() {
        return Map.copyOf(values);
    }
}
