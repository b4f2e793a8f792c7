package dev.basalt.command;

import static dev.basalt.command.CommandFlag.LOADING;
import static dev.basalt.command.CommandFlag.STALE;
import static dev.basalt.command.CommandSpec.command;

import dev.basalt.config.RedisParameters;
import dev.basalt.scripting.Scripting;
import dev.basalt.storage.ColumnFamily;
import dev.basalt.storage.KeyCodec;
import dev.basalt.util.Bytes;
import dev.basalt.util.Version;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** INFO: the server's state in Redis's "# Section" / "field:value" text form. */
final class InfoCommands {
    private InfoCommands() {
    }

    /** Every section, in the order Redis prints them. */
    private static final List<String> SECTIONS = List.of("server", "clients", "memory", "persistence", "stats",
            "replication", "cpu", "commandstats", "errorstats", "cluster", "keyspace", "rocksdb");
    /** What INFO without arguments (or "default") shows: everything but the per-command stats. */
    private static final Set<String> DEFAULT_SECTIONS = Set.of("server", "clients", "memory", "persistence",
            "stats", "replication", "cpu", "errorstats", "cluster", "keyspace");

    /** Identifies this process's run (INFO run_id), like Redis's random 40-hex-digit id. */
    private static final String RUN_ID = randomHex40();
    /** The replication id this process would serve replicas from; Basalt is always a master. */
    private static final String REPL_ID = randomHex40();
    private static final String NO_REPL_ID = "0".repeat(40);
    /** Linux's USER_HZ: /proc/self/stat counts CPU time in these ticks. */
    private static final int CLOCK_TICKS_PER_SECOND = 100;

    static void register(CommandTable t, Services services) {
        t.add(command("info", -1).flags(LOADING, STALE).group("server")
                .summary("Returns information and statistics about the server.").handler((ctx, argv) -> info(ctx, argv, services)));
    }

    private static void info(ExecContext ctx, byte[][] argv, Services services) {
        Set<String> wanted = new LinkedHashSet<>();
        if (argv.length == 1) {
            wanted.addAll(DEFAULT_SECTIONS);
        }
        for (int i = 1; i < argv.length; i++) {
            String s = CommandTable.lower(argv[i]);
            switch (s) {
                case "all", "everything" -> wanted.addAll(SECTIONS);
                case "default" -> wanted.addAll(DEFAULT_SECTIONS);
                default -> wanted.add(s); // unknown names select nothing
            }
        }
        List<String> keyspace = wanted.contains("keyspace") ? keyspaceLines(ctx, services) : List.of();
        ctx.out().verbatim(render(services, wanted, keyspace));
    }

    /** The INFO text for the given (lower-case) sections, in Redis's section order. */
    static String render(Services services, Set<String> wanted, List<String> keyspace) {
        StringBuilder sb = new StringBuilder();
        for (String section : SECTIONS) {
            if (!wanted.contains(section)) {
                continue;
            }
            if (!sb.isEmpty()) {
                sb.append("\r\n");
            }
            sb.append("# ").append(title(section)).append("\r\n");
            for (String line : section.equals("keyspace") ? keyspace : lines(services, section)) {
                sb.append(line).append("\r\n");
            }
        }
        return sb.toString();
    }

    /** The section's heading as Redis and Kvrocks spell it ("CPU", "Commandstats", "RocksDB"). */
    private static String title(String section) {
        return switch (section) {
            case "cpu" -> "CPU";
            case "rocksdb" -> "RocksDB";
            default -> Character.toUpperCase(section.charAt(0)) + section.substring(1);
        };
    }

    private static List<String> lines(Services services, String section) {
        return switch (section) {
            case "server" -> serverLines(services);
            case "clients" -> clientLines(services);
            case "memory" -> memoryLines(services.stats(), services.scripting());
            case "persistence" -> persistenceLines(services);
            case "stats" -> statsLines(services.stats(), services.pubsub(), services.tracking());
            case "replication" -> List.of("role:master", "connected_slaves:0", "master_failover_state:no-failover",
                    "master_replid:" + REPL_ID, "master_replid2:" + NO_REPL_ID, "master_repl_offset:0",
                    "second_repl_offset:-1", "repl_backlog_active:0");
            case "cpu" -> cpuLines();
            case "commandstats" -> commandStatLines(services.stats());
            case "errorstats" -> errorStatLines(services.stats());
            case "cluster" -> List.of("cluster_enabled:0");
            case "rocksdb" -> RocksDbInfo.lines(services.storage(), services.stats(), services.jobs());
            default -> List.of();
        };
    }

    private static List<String> serverLines(Services services) {
        long nowMs = System.currentTimeMillis();
        long uptime = (nowMs - services.control().startMillis()) / 1000;
        List<String> l = new ArrayList<>();
        l.add("redis_version:" + Version.REDIS_COMPAT_VERSION);
        l.add("basalt_version:" + Version.VERSION);
        l.add("redis_mode:standalone");
        l.add("os:" + System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + machine());
        l.add("arch_bits:" + archBits());
        l.add("java_version:" + Runtime.version());
        l.add("process_id:" + ProcessHandle.current().pid());
        l.add("run_id:" + RUN_ID);
        l.add("tcp_port:" + services.control().port());
        l.add("server_time_usec:" + nowMs * 1000);
        l.add("uptime_in_seconds:" + uptime);
        l.add("uptime_in_days:" + uptime / 86400);
        l.add("hz:" + RedisParameters.SERVER_HZ);
        l.add("configured_hz:" + RedisParameters.SERVER_HZ);
        l.add("executable:" + executable());
        l.add("config_file:" + configFile(services));
        return l;
    }

    /** The configuration file the server was started from, for INFO's config_file; empty without one. */
    static String configFile(Services services) {
        Path file = services.config().file();
        return file == null ? "" : file.toAbsolutePath().toString();
    }

    private static List<String> clientLines(Services services) {
        int blocked = 0;
        List<ClientSession> clients = services.clients().list();
        for (ClientSession c : clients) {
            if (c.blocked()) {
                blocked++;
            }
        }
        return List.of("connected_clients:" + clients.size(), "maxclients:" + services.config().getString("maxclients").trim(),
                "blocked_clients:" + blocked, "tracking_clients:" + services.tracking().clientCount());
    }

    private static List<String> memoryLines(ServerStats stats, Scripting scripting) {
        Runtime rt = Runtime.getRuntime();
        long used = stats.usedMemory();
        List<String> l = new ArrayList<>();
        l.add("used_memory:" + used);
        l.add("used_memory_human:" + human(used));
        long rss = residentSetBytes();
        if (rss >= 0) {
            l.add("used_memory_rss:" + rss);
            l.add("used_memory_rss_human:" + human(rss));
        }
        long peak = stats.memoryPeak();
        l.add("used_memory_peak:" + peak);
        l.add("used_memory_peak_human:" + human(peak));
        if (rss >= 0 && used > 0) {
            // As Redis computes it: resident memory over the memory the data uses (here the JVM heap in use).
            l.add(String.format(Locale.ROOT, "mem_fragmentation_ratio:%.2f", (double) rss / used));
        }
        l.add("jvm_heap_committed:" + rt.totalMemory());
        l.add("jvm_heap_max:" + rt.maxMemory());
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            l.add("total_system_memory:" + os.getTotalMemorySize());
            l.add("total_system_memory_human:" + human(os.getTotalMemorySize()));
        }
        long lua = scripting.luaMemoryBytes();
        l.add("used_memory_lua:" + lua);
        l.add("used_memory_lua_human:" + human(lua));
        l.add("used_memory_scripts:" + scripting.cachedBytes());
        l.add("used_memory_scripts_human:" + human(scripting.cachedBytes()));
        l.add("number_of_cached_scripts:" + scripting.cachedCount());
        l.add("maxmemory:0");
        l.add("maxmemory_human:0B");
        l.add("maxmemory_policy:noeviction");
        return l;
    }

    private static List<String> statsLines(ServerStats s, PubSub pubsub, ClientTracking tracking) {
        return List.of(
                "total_connections_received:" + s.connectionsReceived.sum(),
                "total_commands_processed:" + s.commandsProcessed.sum(),
                "instantaneous_ops_per_sec:" + s.opsPerSecond.perSecond(),
                "total_net_input_bytes:" + s.netInputBytes.sum(),
                "total_net_output_bytes:" + s.netOutputBytes.sum(),
                String.format(Locale.ROOT, "instantaneous_input_kbps:%.2f", s.inputBytesPerSecond.perSecond() / 1024.0),
                String.format(Locale.ROOT, "instantaneous_output_kbps:%.2f", s.outputBytesPerSecond.perSecond() / 1024.0),
                "rejected_connections:" + s.rejectedConnections.sum(),
                "expired_keys:" + s.expiredKeys.sum(),
                "keyspace_hits:" + s.keyspaceHits.sum(),
                "keyspace_misses:" + s.keyspaceMisses.sum(),
                "pubsub_channels:" + pubsub.channelCount(),
                "pubsub_patterns:" + pubsub.patternCount(),
                "pubsubshard_channels:" + pubsub.shardChannelCount(),
                "tracking_total_keys:" + tracking.keyCount(),
                "tracking_total_items:" + tracking.itemCount(),
                "tracking_total_prefixes:" + tracking.prefixCount(),
                "total_reads_processed:" + s.readsProcessed.sum(),
                "total_writes_processed:" + s.writesProcessed.sum(),
                "txn_committed:" + s.txnCommitted.sum(),
                "txn_aborted:" + s.txnAborted.sum(),
                "write_failures:" + s.writeFailures.sum(),
                "long_reads_moved:" + s.longReadsMoved.sum(),
                "total_error_replies:" + s.errorReplies.sum());
    }

    private static List<String> cpuLines() {
        long[] ticks = processCpuTicks();
        double sys;
        double user;
        if (ticks != null) {
            user = ticks[0] / (double) CLOCK_TICKS_PER_SECOND;
            sys = ticks[1] / (double) CLOCK_TICKS_PER_SECOND;
        } else if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            // Without /proc only the total is known; it is reported as user time.
            user = os.getProcessCpuTime() / 1e9;
            sys = 0;
        } else {
            return List.of();
        }
        return List.of(String.format(Locale.ROOT, "used_cpu_sys:%.6f", sys),
                String.format(Locale.ROOT, "used_cpu_user:%.6f", user),
                "used_cpu_sys_children:0.000000", "used_cpu_user_children:0.000000");
    }

    private static List<String> commandStatLines(ServerStats s) {
        List<String> l = new ArrayList<>();
        for (Map.Entry<String, ServerStats.CommandCounters> e : s.commandsSorted().entrySet()) {
            ServerStats.CommandCounters c = e.getValue();
            long calls = c.calls.sum();
            long rejected = c.rejected.sum();
            long failed = c.failed.sum();
            if (calls == 0 && rejected == 0 && failed == 0) {
                continue;
            }
            long usec = c.micros.sum();
            l.add(String.format(Locale.ROOT, "cmdstat_%s:calls=%d,usec=%d,usec_per_call=%.2f,rejected_calls=%d,failed_calls=%d",
                    e.getKey(), calls, usec, calls == 0 ? 0.0 : (double) usec / calls, rejected, failed));
        }
        return l;
    }

    /** One line per error code, as Redis 7 prints them: {@code errorstat_ERR:count=3}. */
    private static List<String> errorStatLines(ServerStats s) {
        List<String> l = new ArrayList<>();
        s.errorsByCode().forEach((code, count) -> l.add("errorstat_" + code + ":count=" + count));
        return l;
    }

    /**
     * Kvrocks's persistence fields and Redis's names for the same facts. Basalt writes every change to RocksDB
     * (and its write-ahead log) before replying; "saving" is a backup (BGSAVE), and the changes counted are the
     * commits since the last successful backup began.
     */
    private static List<String> persistenceLines(Services services) {
        DbJobs.Status st = services.jobs().status();
        List<String> l = new ArrayList<>();
        l.add("loading:0");
        l.add("async_loading:0");
        l.add("bgsave_in_progress:" + (st.bgsaveInProgress() ? 1 : 0));
        l.add("last_bgsave_time:" + st.lastBgsaveSecs());
        l.add("last_bgsave_status:" + st.lastBgsaveStatus());
        l.add("last_bgsave_time_sec:" + st.lastBgsaveDurationSecs());
        l.add("rdb_changes_since_last_save:" + st.changesSinceLastSave());
        l.add("rdb_bgsave_in_progress:" + (st.bgsaveInProgress() ? 1 : 0));
        l.add("rdb_last_save_time:" + st.lastBgsaveSecs());
        l.add("rdb_last_bgsave_status:" + st.lastBgsaveStatus());
        l.add("rdb_last_bgsave_time_sec:" + st.lastBgsaveDurationSecs());
        l.add("rdb_current_bgsave_time_sec:" + st.currentBgsaveSecs());
        l.add("aof_enabled:0");
        l.add("aof_rewrite_in_progress:0");
        return l;
    }

    /**
     * The "# Keyspace" section as Kvrocks prints it for the client's namespace: when the last DBSIZE SCAN ran,
     * {@code db0:keys=N,expires=N,avg_ttl=N,expired=N} (keys exact, from the counts kept at commit time; the
     * others from the last DBSIZE SCAN, avg_ttl in seconds as Kvrocks has it), the sequence number, the
     * database's size on disk, and the disk's. Nothing here walks the keyspace.
     */
    static List<String> keyspaceLines(ExecContext ctx, Services services) {
        String ns = ctx.client().namespace();
        DbJobs.ScanResult scan = services.jobs().lastScan(ns);
        List<String> l = new ArrayList<>();
        if (scan == null) {
            l.add("# WARN: DBSIZE SCAN never performed yet");
        } else {
            l.add("# Last DBSIZE SCAN time: " + DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy",
                    Locale.ROOT).format(Instant.ofEpochSecond(scan.finishedSecs()).atZone(ZoneId.systemDefault())));
        }
        long keys;
        try {
            keys = services.storage().keyCount(ctx.txn());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            keys = scan == null ? 0 : scan.stats().keys();
        }
        long expires = scan == null ? 0 : scan.stats().expires();
        long avgTtlSecs = scan == null ? 0 : scan.stats().avgTtlMs() / 1000;
        long expired = scan == null ? 0 : scan.stats().expired();
        l.add("db0:keys=" + keys + ",expires=" + expires + ",avg_ttl=" + avgTtlSecs + ",expired=" + expired);
        l.add("sequence:" + services.storage().latestSequenceNumber());
        long used = ns.equals(KeyCodec.DEFAULT_NAMESPACE) ? services.storage().liveSstBytes()
                : namespaceBytes(services, ns);
        l.add("used_db_size:" + used);
        long maxDb = services.config().getLong("max-db-size") * 1024 * 1024 * 1024;
        l.add("max_db_size:" + maxDb);
        l.add("used_percent: " + percent(maxDb == 0 ? 0 : services.storage().liveSstBytes() * 100.0 / maxDb) + "%");
        try {
            FileStore store = Files.getFileStore(services.storage().dir());
            long capacity = store.getTotalSpace();
            long usedDisk = capacity - store.getUsableSpace();
            l.add("disk_capacity:" + capacity);
            l.add("used_disk_size:" + usedDisk);
            l.add("used_disk_percent: " + percent(capacity == 0 ? 0 : usedDisk * 100.0 / capacity) + "%");
        } catch (IOException e) {
            // no file store information: the disk lines are left out, as Kvrocks leaves them when statvfs fails
        }
        return l;
    }

    /** A namespace's estimated bytes across the families its keys live in. */
    private static long namespaceBytes(Services services, String ns) {
        byte[] begin = new KeyCodec(ns).metadataPrefix();
        byte[] end = Bytes.prefixEnd(begin);
        long total = 0;
        for (ColumnFamily cf : ColumnFamily.NAMESPACED) {
            total += services.storage().approximateSize(cf, begin, end);
        }
        return total;
    }

    /** A percentage as C++'s default stream output prints a double: up to six significant digits, no trailing zeros. */
    static String percent(double v) {
        if (v == 0) {
            return "0";
        }
        String s = new BigDecimal(v).round(new MathContext(6)).stripTrailingZeros().toPlainString();
        return s;
    }

    // ---- measurements ----

    /** User and system CPU ticks of this process from /proc/self/stat, or null where there is no /proc. */
    private static long[] processCpuTicks() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            // Fields after the parenthesised command name: state is the 3rd field, utime the 14th, stime the 15th.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Resident set size from /proc/self/status (VmRSS), or -1 where unknown. */
    private static long residentSetBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    String kb = line.substring(6).trim().split("\\s+")[0];
                    return Long.parseLong(kb) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }

    /** Redis's bytesToHuman: 1023B, 1.50K, 2.25M, 3.00G... */
    static String human(long n) {
        String[] units = {"K", "M", "G", "T", "P"};
        if (n < 1024) {
            return n + "B";
        }
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.2f%s", v, units[u]);
    }

    private static String machine() {
        String arch = System.getProperty("os.arch");
        return switch (arch) {
            case "amd64" -> "x86_64";
            case "arm64" -> "aarch64";
            default -> arch;
        };
    }

    private static String archBits() {
        String bits = System.getProperty("sun.arch.data.model");
        return bits != null ? bits : System.getProperty("os.arch").contains("64") ? "64" : "32";
    }

    /** Where Basalt's code runs from: the jar (or the classes directory under tests). */
    private static String executable() {
        try {
            return Path.of(InfoCommands.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (Exception e) {
            return "";
        }
    }

    private static String randomHex40() {
        byte[] b = new byte[20];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
