package dev.basalt.command;

import static dev.basalt.command.CommandFlag.LOADING;
import static dev.basalt.command.CommandFlag.STALE;
import static dev.basalt.command.CommandSpec.command;

import dev.basalt.command.ClientSession;
import dev.basalt.command.ServerStats;
import dev.basalt.types.KeyScan;
import dev.basalt.util.Version;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
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
            "replication", "cpu", "commandstats", "cluster", "keyspace");
    /** What INFO without arguments (or "default") shows: everything but the per-command stats. */
    private static final Set<String> DEFAULT_SECTIONS = Set.of("server", "clients", "memory", "persistence",
            "stats", "replication", "cpu", "cluster", "keyspace");

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
        List<String> keyspace = wanted.contains("keyspace") ? keyspaceLines(ctx) : List.of();
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

    /** The section's heading as Redis spells it ("CPU", "Commandstats"). */
    private static String title(String section) {
        return section.equals("cpu") ? "CPU" : Character.toUpperCase(section.charAt(0)) + section.substring(1);
    }

    private static List<String> lines(Services services, String section) {
        return switch (section) {
            case "server" -> serverLines(services);
            case "clients" -> clientLines(services);
            case "memory" -> memoryLines();
            case "persistence" -> List.of("loading:0", "async_loading:0");
            case "stats" -> statsLines(services.stats(), services.pubsub(), services.tracking());
            case "replication" -> List.of("role:master", "connected_slaves:0", "master_failover_state:no-failover",
                    "master_replid:" + REPL_ID, "master_replid2:" + NO_REPL_ID, "master_repl_offset:0",
                    "second_repl_offset:-1", "repl_backlog_active:0");
            case "cpu" -> cpuLines();
            case "commandstats" -> commandStatLines(services.stats());
            case "cluster" -> List.of("cluster_enabled:0");
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

    private static List<String> memoryLines() {
        Runtime rt = Runtime.getRuntime();
        long used = rt.totalMemory() - rt.freeMemory();
        List<String> l = new ArrayList<>();
        l.add("used_memory:" + used);
        l.add("used_memory_human:" + human(used));
        long rss = residentSetBytes();
        if (rss >= 0) {
            l.add("used_memory_rss:" + rss);
            l.add("used_memory_rss_human:" + human(rss));
        }
        l.add("jvm_heap_committed:" + rt.totalMemory());
        l.add("jvm_heap_max:" + rt.maxMemory());
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            l.add("total_system_memory:" + os.getTotalMemorySize());
            l.add("total_system_memory_human:" + human(os.getTotalMemorySize()));
        }
        l.add("maxmemory:0");
        l.add("maxmemory_human:0B");
        l.add("maxmemory_policy:noeviction");
        return l;
    }

    private static List<String> statsLines(ServerStats s, PubSub pubsub, ClientTracking tracking) {
        return List.of(
                "total_connections_received:" + s.connectionsReceived.sum(),
                "total_commands_processed:" + s.commandsProcessed.sum(),
                // Not sampled yet: Basalt has no periodic task that would measure a per-second rate.
                "instantaneous_ops_per_sec:0",
                "total_net_input_bytes:" + s.netInputBytes.sum(),
                "total_net_output_bytes:" + s.netOutputBytes.sum(),
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
                "write_failures:" + s.writeFailures.sum());
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

    /**
     * The lines of the "# Keyspace" section, e.g. {@code db0:keys=1,expires=0,avg_ttl=0}. Key counting
     * is not part of this layer yet, so nothing is listed; never put estimates here.
     */
    /** The client's namespace is Kvrocks's one database: "db0:keys=N,expires=N,avg_ttl=N", left out when empty. */
    static List<String> keyspaceLines(ExecContext ctx) {
        KeyScan.KeyspaceStats st = new KeyScan(ctx.txn()).stats();
        if (st.keys() == 0) {
            return List.of();
        }
        return List.of("db0:keys=" + st.keys() + ",expires=" + st.expires() + ",avg_ttl=" + st.avgTtlMs());
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
