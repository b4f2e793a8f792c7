package dev.basalt.config;

import static dev.basalt.config.Directive.Type.BOOL;
import static dev.basalt.config.Directive.Type.ENUM;
import static dev.basalt.config.Directive.Type.INT;
import static dev.basalt.config.Directive.Type.LIST;
import static dev.basalt.config.Directive.Type.MULTI;
import static dev.basalt.config.Directive.Type.SIZE;
import static dev.basalt.config.Directive.Type.STRING;

import dev.basalt.util.Cron;
import dev.basalt.util.Log;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every kvrocks.conf directive Basalt knows: type, default, validation, whether CONFIG SET may
 * change it at run time, and whether Basalt acts on it. Directives Basalt does not act on are still
 * known (validated, kept, shown by CONFIG GET) so that Kvrocks's configuration files load as they
 * are; the few whose non-default values would change behaviour Basalt does not have (cluster mode,
 * replication, daemonizing, TLS, unix sockets) are refused rather than silently ignored.
 */
public final class ConfigSchema {
    private static final long INT_MAX = Integer.MAX_VALUE;
    private static final long MIB = 1024 * 1024;
    public static final String NAMESPACE_PREFIX = "namespace.";

    /** The options that --help lists; every other directive is accepted on the command line too. */
    public static final List<String> COMMON = List.of("port", "bind", "dir", "requirepass", "maxclients", "timeout",
            "log-level", "log-dir", "proto-max-bulk-len");

    private static final Map<String, Directive> DIRECTIVES = build();

    /** Why a directive Basalt does not act on cannot take another value than its default. */
    public static String notActedOn(Directive d) {
        String def = d.defaultValue().isEmpty() ? "\"\"" : d.defaultValue();
        return "Basalt does not act on this directive; remove it or set it to its default (" + def + ")";
    }

    private ConfigSchema() {
    }

    /** The directive of that name (any case), or null. */
    public static Directive lookup(String name) {
        return DIRECTIVES.get(name.toLowerCase(Locale.ROOT));
    }

    /** Every directive, in kvrocks.conf order. */
    public static Collection<Directive> all() {
        return Collections.unmodifiableCollection(DIRECTIVES.values());
    }

    /** Every directive's default value, in kvrocks.conf order. */
    public static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        for (Directive x : DIRECTIVES.values()) {
            d.put(x.name(), x.defaultValue());
        }
        return d;
    }

    /** True for "namespace.&lt;name&gt;" (any case of the prefix): a namespace's token. */
    public static boolean isNamespace(String name) {
        return name.regionMatches(true, 0, NAMESPACE_PREFIX, 0, NAMESPACE_PREFIX.length());
    }

    private static Directive.Builder d(String name, Directive.Type type, String def) {
        return Directive.builder(name, type, def);
    }

    private static Directive.Builder integer(String name, long def, long min, long max) {
        return Directive.builder(name, INT, Long.toString(def)).range(min, max);
    }

    private static Directive.Builder bool(String name, boolean def) {
        return Directive.builder(name, BOOL, def ? "yes" : "no");
    }

    private static Directive.Check unsupportedUnless(String allowed, String why) {
        return v -> {
            if (!v.equals(allowed)) {
                throw new InvalidValueException("'" + v + "' is not supported: " + why);
            }
        };
    }

    private static Directive.Check cron() {
        return v -> {
            try {
                Cron.parse(v);
            } catch (IllegalArgumentException e) {
                throw new InvalidValueException(e.getMessage());
            }
        };
    }

    private static Directive.Check nonEmpty() {
        return v -> {
            if (v.isBlank()) {
                throw new InvalidValueException("must not be empty");
            }
        };
    }

    private static Map<String, Directive> build() {
        List<Directive.Builder> all = List.of(
                // General
                d("bind", LIST, "127.0.0.1").applied().description("Addresses to listen on, space-separated."),
                d("unixsocket", STRING, "").check(unsupportedUnless("", "Basalt listens on TCP only")),
                d("unixsocketperm", STRING, "777"),
                integer("port", 6666, 0, 65535).applied().description("TCP port (0 picks a free one)."),
                integer("timeout", 0, 0, INT_MAX).mutable().applied()
                        .description("Close a client idle for this many seconds (0: never)."),
                integer("workers", 8, 1, 256).applied()
                        .description("Most carrier threads for clients (at most the cores less one)."),
                bool("daemonize", false).check(unsupportedUnless("no",
                        "Basalt runs in the foreground; run it under a supervisor instead")),
                bool("cluster-enabled", false).check(unsupportedUnless("no", "Basalt has no cluster mode")),
                bool("repl-namespace-enabled", false).mutable().applied(),
                bool("persist-cluster-nodes-enabled", true).mutable(),
                integer("maxclients", 10000, 0, INT_MAX).mutable().applied()
                        .description("Most clients connected at once."),
                d("requirepass", STRING, "").mutable().applied().description("Password clients must AUTH with."),
                // Acts only as Kvrocks's rule that no namespace token may equal it (Basalt has no replication).
                d("masterauth", STRING, "").mutable().applied(),
                d("db-name", STRING, "change.me.db"),
                d("dir", STRING, "./data").applied().check(nonEmpty())
                        .description("Data directory (created when missing); RocksDB lives in dir/db."),
                d("backup-dir", STRING, "").mutable().applied()
                        .description("Where BGSAVE puts its backup (empty: dir/backup)."),
                d("log-dir", STRING, "stdout").applied().check(nonEmpty())
                        .description("Directory for basalt.log, or stdout."),
                d("log-level", ENUM, "info").choices("debug", "info", "warning", "error", "fatal").mutable().applied()
                        .onChange(Log::setLevel).description("debug, info, warning, error or fatal."),
                integer("log-retention-days", -1, -1, INT_MAX).mutable().applied()
                        .onChange(v -> Log.setRetentionDays(Integer.parseInt(v)))
                        .description("Delete dated log files older than this many days (-1: keep all)."),
                d("pidfile", STRING, "").applied(),
                bool("slave-read-only", true).mutable(),
                integer("slave-priority", 100, 0, INT_MAX).mutable(),
                integer("tcp-backlog", 511, 0, INT_MAX).applied(),
                bool("master-use-repl-port", false).mutable(),
                bool("use-rsid-psync", false),
                d("slaveof", STRING, "").check(unsupportedUnless("", "Basalt has no replication")),
                bool("slave-serve-stale-data", true).mutable(),
                bool("slave-empty-db-before-fullsync", false).mutable(),
                d("replica-announce-ip", STRING, "").mutable(),
                integer("replica-announce-port", 0, 0, 65535).mutable(),
                bool("purge-backup-on-fullsync", false).mutable(),
                bool("replication-no-slowdown", true).mutable(),
                integer("replication-connect-timeout-ms", 3100, 0, INT_MAX).mutable(),
                integer("replication-recv-timeout-ms", 3200, 0, INT_MAX).mutable(),
                integer("max-replication-mb", 0, 0, INT_MAX).mutable(),
                integer("max-io-mb", 0, 0, INT_MAX).mutable(),
                integer("max-db-size", 0, 0, INT_MAX).mutable(),
                integer("max-backup-to-keep", 1, 0, 1).mutable().applied(),
                integer("max-backup-keep-hours", 24, 0, INT_MAX).mutable().applied(),
                integer("max-bitmap-to-string-mb", 16, 0, INT_MAX).mutable().applied(),
                bool("redis-cursor-compatible", true).mutable(),
                bool("resp3-enabled", true).mutable(),
                integer("json-max-nesting-depth", 1024, 0, INT_MAX).mutable(),
                d("json-storage-format", ENUM, "json").choices("json", "cbor").mutable(),
                Directive.builder("proto-max-bulk-len", SIZE, Long.toString(512 * MIB)).range(MIB, Long.MAX_VALUE)
                        .mutable().applied().description("Largest bulk string a request may carry (bytes, or 512m)."),
                // Basalt's own: Kvrocks has no such bound.
                Directive.builder("request-memory-limit", SIZE, "0").range(0, Long.MAX_VALUE).applied()
                        .description("Heap all clients' requests may hold at once beyond 1 MB each (0: half the heap)."),
                bool("txn-context-enabled", false),
                bool("lua-strict-key-accessing", false).mutable(),
                // Basalt's own (Redis's busy-reply-threshold): after it a running script answers BUSY and may be killed.
                integer("lua-time-limit", 5000, 0, INT_MAX).mutable().applied()
                        .description("Milliseconds a script runs before others get BUSY and SCRIPT KILL may stop it."),
                integer("tls-port", 0, 0, 65535).check(unsupportedUnless("0", "Basalt has no TLS")),
                // Redis's directive (Kvrocks has no keyspace notifications): which events are published.
                d("notify-keyspace-events", STRING, "").mutable().applied().canonical(KeyspaceEventFlags::canonical)
                        .description("Keyspace notifications to publish: Redis's flag letters (e.g. KEA), empty for none."),
                // Basalt's own (Redis's directive): bounds what other clients' actions push to a connection.
                d("client-output-buffer-limit", LIST, OutputBufferLimits.DEFAULT).mutable().applied()
                        .canonical(OutputBufferLimits::canonical)
                        .description("Pending pushed bytes before a client is dropped: <class> <hard> <soft> <seconds>."),
                // Redis's directive (Kvrocks has no client-side caching): keys CLIENT TRACKING remembers.
                integer("tracking-table-max-keys", 1000000, 0, INT_MAX).mutable().applied()
                        .description("Keys remembered for CLIENT TRACKING before random ones are invalidated (0: no limit)."),
                // Slow log
                integer("slowlog-log-slower-than", 100000, -1, INT_MAX).mutable().applied()
                        .description("Log commands slower than this many microseconds in SLOWLOG (-1: none)."),
                integer("slowlog-max-len", 128, 0, INT_MAX).mutable().applied()
                        .description("Slow log entries kept."),
                d("supervised", ENUM, "no").choices("no", "upstart", "systemd", "auto"),
                // Perf log
                d("profiling-sample-commands", STRING, "").mutable().applied()
                        .description("Commands PERFLOG samples, comma-separated, or *."),
                integer("profiling-sample-ratio", 0, 0, 100).mutable().applied()
                        .description("Percentage of those commands sampled (0: none)."),
                integer("profiling-sample-record-max-len", 256, 0, INT_MAX).mutable().applied(),
                integer("profiling-sample-record-threshold-ms", 100, 0, INT_MAX).mutable().applied(),
                // Cron
                d("compact-cron", STRING, "").mutable().applied().check(cron())
                        .description("When to compact the database (Kvrocks's cron: minute hour day month weekday)."),
                d("bgsave-cron", STRING, "").mutable().applied().check(cron())
                        .description("When to back the database up into backup-dir (cron syntax)."),
                d("dbsize-scan-cron", STRING, "").mutable().applied().check(cron())
                        .description("When to recount every namespace's keys for INFO keyspace (cron syntax)."),
                // Hours the compaction checker runs when compaction-checker-cron is empty ("0-7": every minute
                // 0:00-7:59); off by default, as in Kvrocks.
                d("compaction-checker-range", STRING, "").mutable().applied().check(v -> {
                    if (!v.isBlank()) {
                        cron().check("* " + v.trim() + " * * *");
                    }
                }),
                d("compaction-checker-cron", STRING, "").mutable().applied().check(cron())
                        .description("When the compaction checker compacts SST files full of deletions (cron syntax)."),
                integer("force-compact-file-age", 172800, 60, Long.MAX_VALUE).mutable().applied(),
                integer("force-compact-file-min-deleted-percentage", 10, 1, 100).mutable().applied(),
                d("rename-command", MULTI, "").applied(),
                // Migration
                d("migrate-type", ENUM, "redis-command").choices("redis-command", "raw-key-value").mutable(),
                integer("migrate-speed", 4096, 0, INT_MAX).mutable(),
                integer("migrate-pipeline-size", 16, 1, INT_MAX).mutable(),
                integer("migrate-sequence-gap", 10000, 1, INT_MAX).mutable(),
                integer("migrate-batch-size-kb", 16, 1, INT_MAX).mutable(),
                integer("migrate-batch-rate-limit-mb", 16, 1, INT_MAX).mutable(),
                // RocksDB. Those Kvrocks changes on a running database are mutable here too (SetOptions and
                // SetDBOptions, see storage.LiveOptions); the rest are fixed at start-up.
                integer("rocksdb.block_cache_size", 4096, 0, INT_MAX).applied(),
                d("rocksdb.block_cache_type", ENUM, "lru").choices("lru", "hcc"),
                integer("rocksdb.row_cache_size", 0, 0, INT_MAX).applied(),
                integer("rocksdb.max_open_files", 8096, -1, INT_MAX).mutable().applied(),
                integer("rocksdb.write_buffer_size", 64, 1, 4096).mutable().applied(),
                integer("rocksdb.target_file_size_base", 128, 1, 1024).mutable().applied(),
                integer("rocksdb.max_write_buffer_number", 4, 1, 256).mutable().applied(),
                integer("rocksdb.min_write_buffer_number_to_merge", 1, 1, 256).applied(),
                integer("rocksdb.max_background_jobs", 4, 1, 32).mutable().applied(),
                integer("rocksdb.max_background_compactions", -1, -1, 32).mutable().applied(),
                integer("rocksdb.max_background_flushes", -1, -1, 32).applied(),
                integer("rocksdb.max_subcompactions", 2, 0, 16).mutable().applied(),
                integer("rocksdb.max_total_wal_size", 512, 0, INT_MAX).mutable().applied(),
                integer("rocksdb.wal_ttl_seconds", 10800, 0, INT_MAX).applied(),
                integer("rocksdb.wal_size_limit_mb", 16384, 0, INT_MAX).applied(),
                integer("rocksdb.block_size", 16384, 1, INT_MAX).applied(),
                bool("rocksdb.cache_index_and_filter_blocks", true).applied(),
                d("rocksdb.compression", ENUM, "snappy").choices("no", "snappy", "lz4", "zstd", "zlib").mutable().applied(),
                integer("rocksdb.compression_level", 32767, Integer.MIN_VALUE, INT_MAX).applied(),
                integer("rocksdb.compression_start_level", 2, 0, 6).mutable().applied(),
                integer("rocksdb.compaction_readahead_size", 2 * MIB, 0, 64 * MIB).mutable().applied(),
                integer("rocksdb.delayed_write_rate", 0, 0, Long.MAX_VALUE).mutable().applied(),
                bool("rocksdb.enable_pipelined_write", false).applied(),
                integer("rocksdb.level0_slowdown_writes_trigger", 20, 0, 1024).mutable().applied(),
                integer("rocksdb.level0_stop_writes_trigger", 40, 1, 1024).mutable().applied(),
                integer("rocksdb.level0_file_num_compaction_trigger", 4, 1, 1024).mutable().applied(),
                integer("rocksdb.stats_dump_period_sec", 0, 0, INT_MAX).mutable().applied(),
                bool("rocksdb.disable_auto_compactions", false).mutable().applied(),
                bool("rocksdb.enable_blob_files", false).mutable().applied(),
                integer("rocksdb.min_blob_size", 4096, 0, INT_MAX).mutable().applied(),
                integer("rocksdb.blob_file_size", 268435456, 0, INT_MAX).mutable().applied(),
                bool("rocksdb.enable_blob_garbage_collection", true).mutable().applied(),
                integer("rocksdb.blob_garbage_collection_age_cutoff", 25, 0, 100).mutable().applied(),
                bool("rocksdb.level_compaction_dynamic_level_bytes", true).applied(),
                integer("rocksdb.max_bytes_for_level_base", 268435456, 0, Long.MAX_VALUE).mutable().applied(),
                integer("rocksdb.max_bytes_for_level_multiplier", 10, 1, 100).mutable().applied(),
                bool("rocksdb.read_options.async_io", true),
                bool("rocksdb.rate_limiter_auto_tuned", true),
                bool("rocksdb.avoid_unnecessary_blocking_io", true).applied(),
                bool("rocksdb.partition_filters", true).applied(),
                bool("rocksdb.write_options.sync", false).applied(),
                bool("rocksdb.write_options.disable_wal", false).applied(),
                bool("rocksdb.write_options.no_slowdown", false).applied(),
                bool("rocksdb.write_options.low_pri", false).applied(),
                bool("rocksdb.write_options.memtable_insert_hint_per_batch", false).applied(),
                // Read per commit, so it can change at run time.
                integer("rocksdb.write_options.write_batch_max_bytes", 0, 0, INT_MAX).mutable().applied());
        Map<String, Directive> m = new LinkedHashMap<>();
        for (Directive.Builder b : all) {
            Directive x = b.build();
            if (m.put(x.name(), x) != null) {
                throw new IllegalStateException("directive declared twice: " + x.name());
            }
        }
        return Collections.unmodifiableMap(m);
    }
}
