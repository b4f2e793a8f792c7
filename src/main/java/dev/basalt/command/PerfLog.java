package dev.basalt.command;

import dev.basalt.config.Config;
import dev.basalt.storage.Storage;
import dev.basalt.util.RecentEntries;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Kvrocks's perf log: commands named by {@code profiling-sample-commands} (comma-separated, or {@code *}) are
 * sampled at {@code profiling-sample-ratio} percent; a sampled command runs with RocksDB's perf context on, and
 * when it took at least {@code profiling-sample-record-threshold-ms} (0: any time) and asked RocksDB anything,
 * it is recorded with the context's non-zero counters. The newest {@code profiling-sample-record-max-len}
 * entries are kept. The context is RocksDB's per-thread one: a command that parks part-way (waiting on a lock
 * or a stalled write) may resume on another carrier thread, and then reports what it did on the last one.
 */
public final class PerfLog {
    /** One recorded command, as PERFLOG GET gives it. */
    record Entry(long id, long timeSecs, String command, long durationMicros, String perfContext, String ioStatsContext) {
    }

    /** A command being sampled; {@link #end} records it. */
    public final class Sample {
        private final String command;
        private final long startNanos = System.nanoTime();

        private Sample(String command) {
            this.command = command;
        }

        public void end() {
            long micros = (System.nanoTime() - startNanos) / 1000;
            String context = storage.perfStop();
            long threshold = config.getLong("profiling-sample-record-threshold-ms");
            if ((threshold > 0 && micros / 1000 < threshold) || context.isEmpty()) {
                return;
            }
            // rocksdbjni does not expose RocksDB's IO stats context: that field stays empty.
            push(command, micros, context, "");
        }
    }

    private final Config config;
    private final Storage storage;
    private final Config.LiveNumber ratio;
    private final RecentEntries<Entry> entries = new RecentEntries<>();
    private volatile String commandsText;
    private volatile Set<String> commands = Set.of();

    public PerfLog(Config config, Storage storage) {
        this.config = config;
        this.storage = storage;
        this.ratio = config.live("profiling-sample-ratio");
    }

    /** Starts sampling the command (its name, "config" for CONFIG GET) when it is to be sampled; else null. */
    public Sample begin(String fullName) {
        long r = ratio.get();
        if (r == 0) {
            return null;
        }
        int bar = fullName.indexOf('|');
        String name = bar < 0 ? fullName : fullName.substring(0, bar);
        Set<String> sampled = sampledCommands();
        if (!sampled.contains("*") && !sampled.contains(name)) {
            return null;
        }
        if (r < 100 && ThreadLocalRandom.current().nextInt(100) >= r) {
            return null;
        }
        storage.perfStart();
        return new Sample(name);
    }

    private Set<String> sampledCommands() {
        String text = config.getString("profiling-sample-commands");
        if (!text.equals(commandsText)) {
            Set<String> names = new HashSet<>();
            for (String n : text.split(",")) {
                if (!n.isBlank()) {
                    names.add(n.trim().toLowerCase(Locale.ROOT));
                }
            }
            commands = Set.copyOf(names);
            commandsText = text;
        }
        return commands;
    }

    private void push(String command, long micros, String context, String ioStats) {
        long max = config.getLong("profiling-sample-record-max-len");
        long seconds = System.currentTimeMillis() / 1000;
        // Ids start at 1, as Kvrocks's; a max of 0 keeps every entry.
        entries.add(id -> new Entry(id + 1, seconds, command, micros, context, ioStats), max > 0 ? max : -1);
    }

    /** The newest count entries (count <= 0: all), newest first. */
    List<Entry> latest(long count) {
        return entries.newest(count > 0 ? count : -1);
    }

    int size() {
        return entries.size();
    }

    void reset() {
        entries.clear();
    }
}
