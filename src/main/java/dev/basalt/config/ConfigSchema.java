package dev.basalt.config;

import java.util.LinkedHashMap;
import java.util.Map;

/** The directives Basalt knows and their defaults. */
public final class ConfigSchema {
    private ConfigSchema() {
    }

    public static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("bind", "127.0.0.1");
        d.put("port", "6666");
        d.put("timeout", "0");
        d.put("maxclients", "10000");
        d.put("dir", "./data");
        d.put("log-dir", "stdout");
        d.put("log-level", "info");
        d.put("requirepass", "");
        d.put("proto-max-bulk-len", "536870912");
        d.put("rocksdb.block_cache_size", "4096");
        d.put("rocksdb.max_open_files", "8096");
        d.put("rocksdb.write_buffer_size", "64");
        d.put("rocksdb.max_write_buffer_number", "4");
        d.put("rocksdb.max_background_jobs", "4");
        d.put("rocksdb.target_file_size_base", "128");
        d.put("rocksdb.block_size", "16384");
        d.put("rocksdb.compression", "snappy");
        d.put("rocksdb.wal_ttl_seconds", "10800");
        d.put("rocksdb.wal_size_limit_mb", "16384");
        d.put("rocksdb.max_total_wal_size", "512");
        d.put("rocksdb.level0_slowdown_writes_trigger", "20");
        d.put("rocksdb.level0_stop_writes_trigger", "40");
        d.put("rocksdb.level0_file_num_compaction_trigger", "4");
        d.put("rocksdb.delayed_write_rate", "0");
        d.put("rocksdb.level_compaction_dynamic_level_bytes", "yes");
        d.put("rocksdb.cache_index_and_filter_blocks", "yes");
        d.put("rocksdb.write_options.sync", "no");
        d.put("rocksdb.write_options.disable_wal", "no");
        d.put("rocksdb.write_options.no_slowdown", "no");
        d.put("rocksdb.write_options.low_pri", "no");
        d.put("rocksdb.write_options.write_batch_max_bytes", "0");
        return d;
    }
}
