package dev.basalt.storage;

import dev.basalt.config.Config;
import dev.basalt.config.InvalidValueException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/**
 * The {@code rocksdb.*} directives Kvrocks changes on a running database, and how: column family options
 * through RocksDB's SetOptions on every family, database options through SetDBOptions, each converted from
 * the directive's unit (megabytes, yes/no, a percentage) to RocksDB's. CONFIG SET calls {@link #apply}
 * before it stores the new value, so a value RocksDB refuses is not kept.
 */
final class LiveOptions {
    private enum Scope { FAMILY, DATABASE }

    private record Option(Scope scope, String rocksName, UnaryOperator<String> toRocks, String requires) {
    }

    private static final UnaryOperator<String> SAME = v -> v;
    private static final UnaryOperator<String> MEGABYTES = v -> Long.toString(Long.parseLong(v) * 1024 * 1024);
    private static final UnaryOperator<String> BOOL = v -> v.equals("yes") ? "true" : "false";

    static final String BLOB_FILES_NEEDED = "Must set rocksdb.enable_blob_files to yes first.";
    static final String DYNAMIC_LEVEL_BYTES_NEEDED = "Must set rocksdb.level_compaction_dynamic_level_bytes yes first.";

    private static final Map<String, Option> OPTIONS = Map.ofEntries(
            family("rocksdb.write_buffer_size", "write_buffer_size", MEGABYTES),
            family("rocksdb.max_write_buffer_number", "max_write_buffer_number", SAME),
            family("rocksdb.target_file_size_base", "target_file_size_base", MEGABYTES),
            family("rocksdb.disable_auto_compactions", "disable_auto_compactions", BOOL),
            family("rocksdb.level0_slowdown_writes_trigger", "level0_slowdown_writes_trigger", SAME),
            family("rocksdb.level0_stop_writes_trigger", "level0_stop_writes_trigger", SAME),
            family("rocksdb.level0_file_num_compaction_trigger", "level0_file_num_compaction_trigger", SAME),
            // Both set compression_per_level from the pair, see perLevel.
            family("rocksdb.compression", "compression_per_level", SAME),
            family("rocksdb.compression_start_level", "compression_per_level", SAME),
            family("rocksdb.enable_blob_files", "enable_blob_files", BOOL),
            Map.entry("rocksdb.min_blob_size", new Option(Scope.FAMILY, "min_blob_size", SAME, BLOB_FILES_NEEDED)),
            Map.entry("rocksdb.blob_file_size", new Option(Scope.FAMILY, "blob_file_size", SAME, BLOB_FILES_NEEDED)),
            Map.entry("rocksdb.enable_blob_garbage_collection",
                    new Option(Scope.FAMILY, "enable_blob_garbage_collection", BOOL, BLOB_FILES_NEEDED)),
            Map.entry("rocksdb.blob_garbage_collection_age_cutoff", new Option(Scope.FAMILY,
                    "blob_garbage_collection_age_cutoff", v -> Double.toString(Integer.parseInt(v) / 100.0), BLOB_FILES_NEEDED)),
            Map.entry("rocksdb.max_bytes_for_level_base",
                    new Option(Scope.FAMILY, "max_bytes_for_level_base", SAME, DYNAMIC_LEVEL_BYTES_NEEDED)),
            Map.entry("rocksdb.max_bytes_for_level_multiplier",
                    new Option(Scope.FAMILY, "max_bytes_for_level_multiplier", SAME, DYNAMIC_LEVEL_BYTES_NEEDED)),
            database("rocksdb.max_open_files", "max_open_files", SAME),
            database("rocksdb.stats_dump_period_sec", "stats_dump_period_sec", SAME),
            database("rocksdb.delayed_write_rate", "delayed_write_rate", SAME),
            database("rocksdb.max_background_compactions", "max_background_compactions", SAME),
            database("rocksdb.max_subcompactions", "max_subcompactions", SAME),
            database("rocksdb.compaction_readahead_size", "compaction_readahead_size", SAME),
            database("rocksdb.max_background_jobs", "max_background_jobs", SAME),
            database("rocksdb.max_total_wal_size", "max_total_wal_size", MEGABYTES));

    private static Map.Entry<String, Option> family(String directive, String rocksName, UnaryOperator<String> f) {
        return Map.entry(directive, new Option(Scope.FAMILY, rocksName, f, null));
    }

    private static Map.Entry<String, Option> database(String directive, String rocksName, UnaryOperator<String> f) {
        return Map.entry(directive, new Option(Scope.DATABASE, rocksName, f, null));
    }

    /*
     * RocksDB's SetOptions and SetDBOptions take the options' own text ({"compression", "kZSTD"}), as Kvrocks
     * passes them. rocksdbjni's public setOptions goes through a Java builder that writes some values in a form
     * the native parser refuses (compression as "ZSTD_COMPRESSION"), so its native methods are called directly.
     */
    private static final Method SET_OPTIONS = nativeMethod("setOptions", long.class, long.class, String[].class, String[].class);
    private static final Method SET_DB_OPTIONS = nativeMethod("setDBOptions", long.class, String[].class, String[].class);

    private static Method nativeMethod(String name, Class<?>... types) {
        try {
            Method m = RocksDB.class.getDeclaredMethod(name, types);
            m.setAccessible(true);
            return m;
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ExceptionInInitializerError("rocksdbjni without RocksDB." + name + ": " + e);
        }
    }

    private LiveOptions() {
    }

    /** compression_per_level in RocksDB's option text, as Storage opens it: "kNoCompression:kNoCompression:kZSTD:...". */
    private static String perLevel(String compression, int startLevel) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Storage.LEVELS; i++) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(compressionName(i < startLevel ? "no" : compression));
        }
        return sb.toString();
    }

    /** RocksDB's own name for a compression directive's value. */
    private static String compressionName(String v) {
        return switch (v) {
            case "no" -> "kNoCompression";
            case "snappy" -> "kSnappyCompression";
            case "lz4" -> "kLZ4Compression";
            case "zstd" -> "kZSTD";
            case "zlib" -> "kZlibCompression";
            default -> throw new IllegalArgumentException("unknown compression '" + v + "'");
        };
    }

    /** Every directive applied to the running database. */
    static Set<String> names() {
        return OPTIONS.keySet();
    }

    /**
     * Gives RocksDB the directive's new (canonical) value; does nothing for other directives. The
     * exception's reason is Kvrocks's (a precondition) or RocksDB's status text.
     */
    static void apply(RocksDB db, List<ColumnFamilyHandle> families, Config config, String directive, String value)
            throws InvalidValueException {
        Option o = OPTIONS.get(directive);
        if (o == null) {
            return;
        }
        if (o.requires() != null) {
            String needed = o.requires() == BLOB_FILES_NEEDED ? "rocksdb.enable_blob_files"
                    : "rocksdb.level_compaction_dynamic_level_bytes";
            if (!config.getBool(needed)) {
                throw new InvalidValueException(o.requires());
            }
        }
        String rocksValue = o.rocksName().equals("compression_per_level")
                ? perLevel(directive.equals("rocksdb.compression") ? value : config.getString("rocksdb.compression"),
                        directive.equals("rocksdb.compression_start_level") ? Integer.parseInt(value)
                                : config.getInt("rocksdb.compression_start_level"))
                : o.toRocks().apply(value);
        try {
            if (o.scope() == Scope.DATABASE) {
                SET_DB_OPTIONS.invoke(null, db.getNativeHandle(), new String[] {o.rocksName()}, new String[] {rocksValue});
            } else {
                for (ColumnFamilyHandle h : families) {
                    SET_OPTIONS.invoke(null, db.getNativeHandle(), h.getNativeHandle(), new String[] {o.rocksName()},
                            new String[] {rocksValue});
                }
            }
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            String status = cause instanceof RocksDBException r ? StorageException.of(r).getMessage() : String.valueOf(cause);
            throw new InvalidValueException(status);
        } catch (IllegalAccessException e) {
            throw new InvalidValueException("cannot reach RocksDB's SetOptions: " + e.getMessage());
        }
    }
}
