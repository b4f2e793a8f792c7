package dev.basalt.config;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Redis parameters that clients and frameworks read with CONFIG GET at start-up (node-redis, Spring's
 * getConfig, monitoring agents) but that are not kvrocks.conf directives. CONFIG GET answers them with what
 * Basalt really does; CONFIG SET refuses them, since there is nothing in Basalt a new value would change,
 * and a configuration file may not set them (they are not directives).
 */
public final class RedisParameters {
    /** Name, Basalt's true value, and why it cannot be changed. */
    private record Parameter(String value, String why) {
    }

    /** How many times a second the server's cron samples its instantaneous stats (INFO hz). */
    public static final int SERVER_HZ = 10;

    private static final Map<String, Parameter> PARAMETERS = build();

    private RedisParameters() {
    }

    private static Map<String, Parameter> build() {
        Map<String, Parameter> m = new LinkedHashMap<>();
        m.put("maxmemory", new Parameter("0", "Basalt keeps data on disk in RocksDB and has no memory limit to evict at"));
        m.put("maxmemory-policy", new Parameter("noeviction", "Basalt never evicts keys"));
        m.put("save", new Parameter("", "Basalt writes every change to RocksDB at once; use BGSAVE or bgsave-cron for backups"));
        m.put("appendonly", new Parameter("no", "Basalt has no append-only file; RocksDB's write-ahead log keeps every write"));
        m.put("databases", new Parameter("1", "Basalt has one database per namespace, as Kvrocks"));
        m.put("hz", new Parameter(Integer.toString(SERVER_HZ), "Basalt's background tasks run at a fixed rate"));
        return m;
    }

    /** The parameter's value (any case of the name), or null when it is not one of these. */
    public static String value(String name) {
        Parameter p = PARAMETERS.get(name.toLowerCase(Locale.ROOT));
        return p == null ? null : p.value();
    }

    /** Every parameter's name and value, in a fixed order. */
    public static Map<String, String> all() {
        Map<String, String> m = new LinkedHashMap<>();
        PARAMETERS.forEach((k, v) -> m.put(k, v.value()));
        return m;
    }

    /** Why CONFIG SET refuses it, or null when it is not one of these. */
    static String whyFixed(String name) {
        Parameter p = PARAMETERS.get(name.toLowerCase(Locale.ROOT));
        return p == null ? null : p.why();
    }
}
