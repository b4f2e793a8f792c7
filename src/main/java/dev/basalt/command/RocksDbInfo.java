package dev.basalt.command;

import dev.basalt.storage.Storage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** INFO rocksdb with Kvrocks's field names: RocksDB's properties, its block cache tickers, and measured rates. */
final class RocksDbInfo {
    /** Kvrocks's block cache fields and the tickers behind them, in the order Kvrocks prints them (by name). */
    private static final List<String> BLOCK_CACHE_TICKERS = List.of("block_cache_data_hit", "block_cache_data_miss",
            "block_cache_filter_hit", "block_cache_filter_miss", "block_cache_hit", "block_cache_index_hit",
            "block_cache_index_miss", "block_cache_miss");

    /** Kvrocks's per-family stall fields and the keys of RocksDB's "rocksdb.cfstats" map behind them. */
    private static final List<String[]> STALL_FIELDS = List.of(
            new String[] {"level0_file_limit_slowdown", "l0-file-count-limit-delays"},
            new String[] {"level0_file_limit_stop", "l0-file-count-limit-stops"},
            new String[] {"pending_compaction_bytes_slowdown", "pending-compaction-bytes-delays"},
            new String[] {"pending_compaction_bytes_stop", "pending-compaction-bytes-stops"},
            new String[] {"level0_file_limit_stop_with_ongoing_compaction", "cf-l0-file-count-limit-stops-with-ongoing-compaction"},
            new String[] {"level0_file_limit_slowdown_with_ongoing_compaction", "cf-l0-file-count-limit-delays-with-ongoing-compaction"},
            new String[] {"memtable_count_limit_slowdown", "memtable-limit-delays"},
            new String[] {"memtable_count_limit_stop", "memtable-limit-stops"});

    private RocksDbInfo() {
    }

    static List<String> lines(Storage storage, ServerStats stats, DbJobs jobs) {
        List<String> l = new ArrayList<>();
        // Every family shares the block cache and the DB-wide counts, so one family's figure is the whole.
        String subkeys = "default";
        l.add("block_cache_usage:" + storage.longProperty(subkeys, "rocksdb.block-cache-usage"));
        l.add("block_cache_pinned_usage[" + subkeys + "]:" + storage.longProperty(subkeys, "rocksdb.block-cache-pinned-usage"));
        for (String family : storage.familyNames()) {
            l.add("estimate_keys[" + family + "]:" + storage.longProperty(family, "rocksdb.estimate-num-keys"));
            l.add("index_and_filter_cache_usage[" + family + "]:"
                    + storage.longProperty(family, "rocksdb.estimate-table-readers-mem"));
            Map<String, String> cfStats = storage.mapProperty(family, "rocksdb.cfstats");
            for (String[] f : STALL_FIELDS) {
                l.add(f[0] + "[" + family + "]:" + wholeNumber(cfStats.getOrDefault(f[1], "")));
            }
        }
        for (String name : BLOCK_CACHE_TICKERS) {
            l.add(name + ":" + storage.ticker(name.toUpperCase(Locale.ROOT)));
        }
        l.add("all_mem_tables:" + storage.aggregatedProperty("rocksdb.size-all-mem-tables"));
        l.add("cur_mem_tables:" + storage.aggregatedProperty("rocksdb.cur-size-all-mem-tables"));
        l.add("snapshots:" + storage.longProperty(subkeys, "rocksdb.num-snapshots"));
        l.add("num_immutable_tables:" + storage.aggregatedProperty("rocksdb.num-immutable-mem-table"));
        l.add("num_running_flushes:" + storage.longProperty(subkeys, "rocksdb.num-running-flushes"));
        l.add("memtable_flush_pending:" + storage.aggregatedProperty("rocksdb.mem-table-flush-pending"));
        l.add("compaction_pending:" + storage.aggregatedProperty("rocksdb.compaction-pending"));
        l.add("num_running_compactions:" + storage.longProperty(subkeys, "rocksdb.num-running-compactions"));
        l.add("num_live_versions:" + storage.aggregatedProperty("rocksdb.num-live-versions"));
        l.add("num_super_version:" + storage.aggregatedProperty("rocksdb.current-super-version-number"));
        l.add("num_background_errors:" + storage.aggregatedProperty("rocksdb.background-errors"));
        l.add("estimate_pending_compaction_bytes:" + storage.aggregatedProperty("rocksdb.estimate-pending-compaction-bytes"));
        l.add("is_write_stopped:" + storage.longProperty(subkeys, "rocksdb.is-write-stopped"));
        l.add("actual_delayed_write_rate:" + storage.longProperty(subkeys, "rocksdb.actual-delayed-write-rate"));
        l.add("flush_count:" + storage.flushesCompleted());
        l.add("compaction_count:" + storage.compactionsCompleted());
        l.add("put_per_sec:" + stats.rocksPutsPerSecond.perSecond());
        l.add("get_per_sec:" + stats.rocksGetsPerSecond.perSecond());
        l.add("seek_per_sec:" + stats.rocksSeeksPerSecond.perSecond());
        l.add("next_per_sec:" + stats.rocksNextsPerSecond.perSecond());
        l.add("prev_per_sec:" + stats.rocksPrevsPerSecond.perSecond());
        DbJobs.Status st = jobs.status();
        l.add("is_bgsaving:" + (st.bgsaveInProgress() ? "yes" : "no"));
        l.add("is_compacting:" + (st.compacting() ? "yes" : "no"));
        return l;
    }

    /** RocksDB's map values are doubles in text ("3.000000"); Kvrocks prints them as they come, Basalt as integers. */
    private static String wholeNumber(String text) {
        try {
            return Long.toString((long) Double.parseDouble(text));
        } catch (NumberFormatException e) {
            return "0";
        }
    }
}
