package dev.basalt.config;

import dev.basalt.util.Bytes;
import dev.basalt.util.Glob;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The server's configuration: every directive's current value as text, keyed by lower-case name
 * ({@code namespace.<name>} keys keep the name's case). Readers fetch values when they need them, so
 * CONFIG SET takes effect without restarts where the directive allows it. Values are stored in
 * canonical form (see {@link Directive#normalize}); {@link #put} does not validate, the loader and
 * {@link #setAtRuntime} do.
 */
public final class Config {
    /** A line of the configuration file whose directive Basalt does not know: kept, never acted on. */
    public record UnknownDirective(String name, String value, int line) {
    }

    private final Map<String, String> values = new ConcurrentHashMap<>();
    /** Bumped on every change, so that hot paths can keep a value until the configuration changes. */
    private final java.util.concurrent.atomic.AtomicLong version = new java.util.concurrent.atomic.AtomicLong();
    private final Map<String, ParsedNumber> parsedNumbers = new ConcurrentHashMap<>();
    private final List<UnknownDirective> unknown = new CopyOnWriteArrayList<>();
    private final ReentrantLock updateLock = new ReentrantLock();
    private volatile Path file;
    private volatile LiveApplier liveApplier;

    /** Gives a running component (the storage) a new value before CONFIG SET stores it; may refuse it. */
    @FunctionalInterface
    public interface LiveApplier {
        /** Does nothing for directives it does not act on; the exception's reason is the error's text. */
        void apply(String directive, String canonical) throws InvalidValueException;
    }

    /** Sets (or, with null, removes) the applier CONFIG SET calls for every changed directive. */
    public void setLiveApplier(LiveApplier applier) {
        this.liveApplier = applier;
    }

    public Config(Map<String, String> initial) {
        initial.forEach(this::put);
    }

    /** A configuration with every directive at its default. */
    public static Config defaults() {
        return new Config(ConfigSchema.defaults());
    }

    /** The key a directive is stored under: lower case, except a namespace's name. */
    public static String key(String name) {
        if (ConfigSchema.isNamespace(name)) {
            return ConfigSchema.NAMESPACE_PREFIX + name.substring(ConfigSchema.NAMESPACE_PREFIX.length());
        }
        return name.toLowerCase(Locale.ROOT);
    }

    public String get(String name) {
        return values.get(key(name));
    }

    public String getString(String name) {
        String v = get(name);
        return v == null ? "" : v;
    }

    /**
     * A number directive read on a hot path (every request, every commit): the value is kept until the
     * configuration changes (CONFIG SET), so reading it costs one volatile read.
     */
    public final class LiveNumber {
        private record Seen(long version, long value) {
        }

        private final String name;
        private volatile Seen seen = new Seen(-1, 0);

        private LiveNumber(String name) {
            this.name = name;
        }

        public long get() {
            long v = version.get();
            Seen s = seen;
            if (s.version() != v) {
                s = new Seen(v, getLong(name));
                seen = s;
            }
            return s.value();
        }
    }

    /** Changes whenever a value does: readers on hot paths cache what they parsed until it moves. */
    public long version() {
        return version.get();
    }

    public LiveNumber live(String name) {
        return new LiveNumber(name);
    }

    /** Parsed once per value (connections read some directives on every request), re-parsed when the text changes. */
    public long getLong(String name) {
        String text = getString(name);
        ParsedNumber cached = parsedNumbers.get(name);
        if (cached != null && cached.text().equals(text)) {
            return cached.value();
        }
        long value = Long.parseLong(text.trim());
        parsedNumbers.put(name, new ParsedNumber(text, value));
        return value;
    }

    private record ParsedNumber(String text, long value) {
    }

    public int getInt(String name) {
        return Math.toIntExact(getLong(name));
    }

    public boolean getBool(String name) {
        return "yes".equalsIgnoreCase(getString(name).trim());
    }

    /** Sets a value without validation; callers validate through {@link ConfigSchema}. */
    public void put(String name, String value) {
        values.put(key(name), value);
        version.incrementAndGet();
    }

    /** Removes a value (a namespace, say); directives of the schema fall back to nothing, not their default. */
    public void remove(String name) {
        values.remove(key(name));
        version.incrementAndGet();
    }

    public Map<String, String> snapshot() {
        return Map.copyOf(values);
    }

    /** The file the configuration was read from (CONFIG REWRITE writes it), or null. */
    public Path file() {
        return file;
    }

    public void setFile(Path file) {
        this.file = file;
    }

    /** The entries of a directive that may appear several times (rename-command), in file order. */
    public List<String> entries(String name) {
        String v = getString(name);
        return v.isEmpty() ? List.of() : List.of(v.split("\n"));
    }

    /** Adds one entry to a directive that may appear several times. */
    public void addEntry(String name, String entry) {
        values.merge(key(name), entry, (old, e) -> old.isEmpty() ? e : old + "\n" + e);
    }

    /** True when requirepass is set: clients must AUTH before other commands. */
    public boolean requiresAuth() {
        String pass = get("requirepass");
        return pass != null && !pass.isEmpty();
    }

    /** Namespace tokens: token to namespace name, from the {@code namespace.<name> <token>} directives. */
    public Map<String, String> namespaceTokens() {
        Map<String, String> m = new HashMap<>();
        values.forEach((k, v) -> {
            if (ConfigSchema.isNamespace(k)) {
                m.put(v, k.substring(ConfigSchema.NAMESPACE_PREFIX.length()));
            }
        });
        return m;
    }

    void addUnknown(UnknownDirective u) {
        unknown.add(u);
    }

    /** Directives of the file that Basalt does not know (CONFIG REWRITE keeps their lines). */
    public List<UnknownDirective> unknownDirectives() {
        return List.copyOf(unknown);
    }

    /** Serializes CONFIG SET and CONFIG REWRITE against each other. */
    ReentrantLock updateLock() {
        return updateLock;
    }

    /**
     * CONFIG GET: the directives matching any of the glob patterns (case-insensitive), each once, as
     * reply name to value. A pattern without wildcards names its directive as the client wrote it,
     * as Redis does.
     */
    public Map<String, String> matching(List<String> patterns) {
        Map<String, String> out = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        for (String p : patterns) {
            byte[] pattern = Bytes.of(p);
            if (Glob.isLiteral(pattern)) {
                Directive d = ConfigSchema.lookup(p);
                if (d != null && seen.add(d.name())) {
                    out.put(p, getString(d.name()));
                } else if (d == null && RedisParameters.value(p) != null && seen.add(p.toLowerCase(Locale.ROOT))) {
                    out.put(p, RedisParameters.value(p));
                }
                continue;
            }
            for (Directive d : ConfigSchema.all()) {
                if (!seen.contains(d.name()) && Glob.matches(pattern, Bytes.of(d.name()), true)) {
                    seen.add(d.name());
                    out.put(d.name(), getString(d.name()));
                }
            }
            RedisParameters.all().forEach((name, value) -> {
                if (!seen.contains(name) && Glob.matches(pattern, Bytes.of(name), true)) {
                    seen.add(name);
                    out.put(name, value);
                }
            });
        }
        return out;
    }

    /**
     * CONFIG SET name value [name value ...]: every name is checked (known, changeable at run time,
     * given once), then every value, then the result as a whole; only if all pass are the values
     * stored, together. Directives that act on something when changed (log-level) are told after.
     */
    public void setAtRuntime(List<String> args) throws ConfigSetException {
        if (args.size() % 2 != 0) {
            throw new IllegalArgumentException("name/value pairs expected");
        }
        updateLock.lock();
        try {
            List<Directive> directives = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < args.size(); i += 2) {
                String name = args.get(i);
                Directive d = ConfigSchema.lookup(name);
                if (d == null) {
                    String why = RedisParameters.whyFixed(name);
                    if (why != null) {
                        throw ConfigSetException.failed(name, "not supported: " + why);
                    }
                    throw ConfigSetException.unknown(name);
                }
                if (!d.mutable()) {
                    if (d.name().startsWith("rocksdb.")) {
                        // Kvrocks's answer for the RocksDB options it cannot change on a running database.
                        throw ConfigSetException.kvrocks(name, "Unsupported CONFIG parameter: " + d.name());
                    }
                    throw ConfigSetException.immutable(name);
                }
                if (!seen.add(d.name())) {
                    throw ConfigSetException.duplicate(name);
                }
                directives.add(d);
            }
            Map<String, String> updates = new LinkedHashMap<>();
            for (int i = 0; i < directives.size(); i++) {
                Directive d = directives.get(i);
                String canonical;
                try {
                    canonical = d.normalize(args.get(2 * i + 1));
                } catch (InvalidValueException e) {
                    throw ConfigSetException.failed(d.name(), e.redisReason());
                }
                if (!d.applied() && !canonical.equals(d.defaultValue())) {
                    throw ConfigSetException.failed(d.name(), ConfigSchema.notActedOn(d));
                }
                updates.put(d.name(), canonical);
            }
            Map<String, String> proposed = new HashMap<>(values);
            proposed.putAll(updates);
            Problem p = consistencyProblem(proposed);
            if (p != null) {
                String arg = updates.containsKey(p.key()) ? p.key() : updates.keySet().iterator().next();
                throw ConfigSetException.failed(arg, p.reason());
            }
            applyLive(updates);
            values.putAll(updates);
            version.incrementAndGet();
            updates.forEach((name, v) -> ConfigSchema.lookup(name).changed(v));
        } finally {
            updateLock.unlock();
        }
    }

    /**
     * Hands every update to the live applier in order; when one is refused, the ones already applied get their
     * old values back and CONFIG SET fails with Kvrocks's wording.
     */
    private void applyLive(Map<String, String> updates) throws ConfigSetException {
        LiveApplier applier = liveApplier;
        if (applier == null) {
            return;
        }
        List<String> applied = new ArrayList<>();
        for (Map.Entry<String, String> u : updates.entrySet()) {
            try {
                applier.apply(u.getKey(), u.getValue());
                applied.add(u.getKey());
            } catch (InvalidValueException e) {
                for (String name : applied) {
                    try {
                        applier.apply(name, getString(name));
                    } catch (InvalidValueException again) {
                        // the old value was accepted before; nothing better to do than keep going
                    }
                }
                throw ConfigSetException.kvrocks(u.getKey(), e.reason());
            }
        }
    }

    /** A rule broken by the configuration as a whole: the key most to blame, and why. */
    record Problem(String key, String reason) {
    }

    /** Rules across directives (namespaces need a password distinct from their tokens); null when all hold. */
    static Problem consistencyProblem(Map<String, String> values) {
        String retention = values.getOrDefault("log-retention-days", "-1");
        if (!retention.equals("-1") && values.getOrDefault("log-dir", "stdout").equals("stdout")) {
            return new Problem("log-retention-days", "can't set the 'log-retention-days' when the log dir is stdout");
        }
        String requirepass = values.getOrDefault("requirepass", "");
        Map<String, String> tokenOwner = new HashMap<>();
        List<String> keys = new ArrayList<>(values.keySet());
        keys.sort(null);
        for (String k : keys) {
            if (!ConfigSchema.isNamespace(k)) {
                continue;
            }
            String token = values.get(k);
            if (requirepass.isEmpty()) {
                return new Problem(k, "namespaces need requirepass to be set");
            }
            if (token.equals(requirepass)) {
                return new Problem(k, "the namespace token must differ from requirepass");
            }
            String other = tokenOwner.put(token, k);
            if (other != null) {
                return new Problem(k, "the namespace token is already used by " + other);
            }
        }
        return null;
    }
}
