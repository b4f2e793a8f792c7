package dev.basalt.command;

import dev.basalt.config.Config;
import dev.basalt.storage.Storage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;

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
    private final ReentrantLock lock = new ReentrantLock();
    private final Deque<Entry> entries = new ArrayDeque<>();
    private long lastId;
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
        lock.lock();
        try {
            long max = config.getLong("profiling-sample-record-max-len");
            entries.addFirst(new Entry(++lastId, System.currentTimeMillis() / 1000, command, micros, context, ioStats));
            while (max > 0 && entries.size() > max) {
                entries.removeLast();
            }
        } finally {
            lock.unlock();
        }
    }

    /** The newest count entries (count <= 0: all), newest first. */
    List<Entry> latest(long count) {
        lock.lock();
        try {
            List<Entry> out = new ArrayList<>();
            for (Entry e : entries) {
                if (count > 0 && out.size() >= count) {
                    break;
                }
                out.add(e);
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    int size() {
        lock.lock();
        try {
            return entries.size();
        } finally {
            lock.unlock();
        }
    }

    void reset() {
        lock.lock();
        try {
            entries.clear();
        } finally {
            lock.unlock();
        }
    }
}
