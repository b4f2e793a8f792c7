package dev.basalt.command;

import dev.basalt.storage.Storage;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** Counters for INFO stats and INFO commandstats; CONFIG RESETSTAT zeroes them. */
public final class ServerStats {
    /** Per-command counters, keyed by full name ("get", "config|get"). */
    public static final class CommandCounters {
        public final LongAdder calls = new LongAdder();
        public final LongAdder micros = new LongAdder();
        public final LongAdder rejected = new LongAdder();
        public final LongAdder failed = new LongAdder();
    }

    public final LongAdder connectionsReceived = new LongAdder();
    public final LongAdder rejectedConnections = new LongAdder();
    public final LongAdder commandsProcessed = new LongAdder();
    public final LongAdder netInputBytes = new LongAdder();
    public final LongAdder netOutputBytes = new LongAdder();
    /** Socket reads and socket writes: pipelined bursts show up as few of each. */
    public final LongAdder readsProcessed = new LongAdder();
    public final LongAdder writesProcessed = new LongAdder();
    public final LongAdder keyspaceHits = new LongAdder();
    public final LongAdder keyspaceMisses = new LongAdder();
    public final LongAdder expiredKeys = new LongAdder();
    public final LongAdder txnCommitted = new LongAdder();
    public final LongAdder txnAborted = new LongAdder();
    public final LongAdder writeFailures = new LongAdder();
    /** Reads that ran long and moved off the connections' carriers to a platform thread (INFO long_reads_moved). */
    public final LongAdder longReadsMoved = new LongAdder();
    /** Every error reply sent (INFO total_error_replies). */
    public final LongAdder errorReplies = new LongAdder();
    public final InstantaneousMetric opsPerSecond = new InstantaneousMetric();
    public final InstantaneousMetric inputBytesPerSecond = new InstantaneousMetric();
    public final InstantaneousMetric outputBytesPerSecond = new InstantaneousMetric();
    /** RocksDB's keys written, keys read (Get and MultiGet), seeks, nexts and prevs per second (INFO rocksdb). */
    public final InstantaneousMetric rocksPutsPerSecond = new InstantaneousMetric();
    public final InstantaneousMetric rocksGetsPerSecond = new InstantaneousMetric();
    public final InstantaneousMetric rocksSeeksPerSecond = new InstantaneousMetric();
    public final InstantaneousMetric rocksNextsPerSecond = new InstantaneousMetric();
    public final InstantaneousMetric rocksPrevsPerSecond = new InstantaneousMetric();
    private final ConcurrentHashMap<String, CommandCounters> commands = new ConcurrentHashMap<>();
    /** Error replies by their code (the first word: ERR, WRONGTYPE...), as INFO errorstats lists them. */
    private final ConcurrentHashMap<String, LongAdder> errorsByCode = new ConcurrentHashMap<>();
    /** The most heap in use seen by any sample (INFO used_memory_peak). */
    private final AtomicLong memoryPeak = new AtomicLong();

    /**
     * Redis keeps at most this many error codes in errorstats: errors whose codes come from user input (a
     * script's error_reply) cannot grow the table without bound. Later new codes count in the total only.
     */
    static final int MAX_ERROR_CODES = 128;

    /** Counts one error reply; {@code text} starts with its code. */
    public void errorReplied(String text) {
        errorReplies.increment();
        int space = text.indexOf(' ');
        String code = space < 0 ? text : text.substring(0, space);
        LongAdder a = errorsByCode.get(code);
        if (a == null) {
            if (errorsByCode.size() >= MAX_ERROR_CODES) {
                return;
            }
            a = errorsByCode.computeIfAbsent(code, k -> new LongAdder());
        }
        a.increment();
    }

    /** Error counts by code, sorted by code. */
    public Map<String, Long> errorsByCode() {
        Map<String, Long> m = new TreeMap<>();
        errorsByCode.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }

    /** Takes one sample of the instantaneous rates and of the memory in use (the server's cron, ten times a second). */
    public void sample(long nowMillis) {
        opsPerSecond.sample(nowMillis, commandsProcessed.sum());
        inputBytesPerSecond.sample(nowMillis, netInputBytes.sum());
        outputBytesPerSecond.sample(nowMillis, netOutputBytes.sum());
        usedMemory();
    }

    /** Samples RocksDB's tickers for the per-second rates of INFO rocksdb (the server's cron). */
    public void sampleStorage(long nowMillis, Storage storage) {
        rocksPutsPerSecond.sample(nowMillis, storage.ticker("NUMBER_KEYS_WRITTEN"));
        rocksGetsPerSecond.sample(nowMillis, storage.ticker("NUMBER_KEYS_READ") + storage.ticker("NUMBER_MULTIGET_KEYS_READ"));
        rocksSeeksPerSecond.sample(nowMillis, storage.ticker("NUMBER_DB_SEEK"));
        rocksNextsPerSecond.sample(nowMillis, storage.ticker("NUMBER_DB_NEXT"));
        rocksPrevsPerSecond.sample(nowMillis, storage.ticker("NUMBER_DB_PREV"));
    }

    /** The heap in use now; also raises the peak. */
    public long usedMemory() {
        Runtime rt = Runtime.getRuntime();
        long used = rt.totalMemory() - rt.freeMemory();
        memoryPeak.accumulateAndGet(used, Math::max);
        return used;
    }

    public long memoryPeak() {
        return memoryPeak.get();
    }

    public CommandCounters command(String fullName) {
        return commands.computeIfAbsent(fullName, k -> new CommandCounters());
    }

    public Map<String, CommandCounters> commandsSorted() {
        return new TreeMap<>(commands);
    }

    public void reset() {
        for (LongAdder a : new LongAdder[] {connectionsReceived, rejectedConnections, commandsProcessed,
                netInputBytes, netOutputBytes, readsProcessed, writesProcessed, keyspaceHits, keyspaceMisses,
                expiredKeys, txnCommitted, txnAborted, writeFailures, longReadsMoved, errorReplies}) {
            a.reset();
        }
        commands.clear();
        errorsByCode.clear();
        memoryPeak.set(0);
        for (InstantaneousMetric m : new InstantaneousMetric[] {opsPerSecond, inputBytesPerSecond, outputBytesPerSecond}) {
            m.reset();
        }
    }
}
