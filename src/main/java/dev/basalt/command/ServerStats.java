package dev.basalt.command;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
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
    private final ConcurrentHashMap<String, CommandCounters> commands = new ConcurrentHashMap<>();

    public CommandCounters command(String fullName) {
        return commands.computeIfAbsent(fullName, k -> new CommandCounters());
    }

    public Map<String, CommandCounters> commandsSorted() {
        return new TreeMap<>(commands);
    }

    public void reset() {
        for (LongAdder a : new LongAdder[] {connectionsReceived, rejectedConnections, commandsProcessed,
                netInputBytes, netOutputBytes, readsProcessed, writesProcessed, keyspaceHits, keyspaceMisses,
                expiredKeys, txnCommitted, txnAborted, writeFailures}) {
            a.reset();
        }
        commands.clear();
    }
}
