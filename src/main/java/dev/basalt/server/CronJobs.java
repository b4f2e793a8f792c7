package dev.basalt.server;

import dev.basalt.command.DbJobs;
import dev.basalt.config.Config;
import dev.basalt.storage.KeyCodec;
import dev.basalt.util.Cron;
import dev.basalt.util.Log;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Kvrocks's scheduled jobs: {@code bgsave-cron}, {@code compact-cron} and {@code dbsize-scan-cron} (each at
 * most once in a minute that matches, in local time, as Kvrocks), and the purge of an old backup every ten
 * seconds ({@code max-backup-to-keep}, {@code max-backup-keep-hours}). The schedules are read from the
 * configuration on every check, so CONFIG SET changes them at once. {@link #tick} takes the time from its
 * caller, so tests drive it with any clock.
 */
final class CronJobs {
    private static final long PURGE_EVERY_SECONDS = 10;

    private final Config config;
    private final DbJobs jobs;
    private record Parsed(String text, Cron cron) {
    }

    private final Map<String, Parsed> parsed = new ConcurrentHashMap<>();
    private LocalDateTime lastMinute;
    private LocalDateTime lastPurge;

    CronJobs(Config config, DbJobs jobs) {
        this.config = config;
        this.jobs = jobs;
    }

    /** The server cron's hook: now in Unix ms, in the machine's time zone. */
    void tick(long nowMillis) {
        tick(LocalDateTime.ofInstant(java.time.Instant.ofEpochMilli(nowMillis), ZoneId.systemDefault()));
    }

    /** Runs what is due at now. */
    void tick(LocalDateTime now) {
        LocalDateTime minute = now.truncatedTo(ChronoUnit.MINUTES);
        if (!minute.equals(lastMinute)) {
            lastMinute = minute;
            if (schedule("compact-cron").matches(minute)) {
                log("compact the db", jobs.startCompact(null, null));
            }
            if (schedule("bgsave-cron").matches(minute)) {
                log("bgsave the db", jobs.startBgsave());
            }
            if (schedule("dbsize-scan-cron").matches(minute)) {
                List<String> namespaces = new ArrayList<>(config.namespaceTokens().values());
                namespaces.add(KeyCodec.DEFAULT_NAMESPACE);
                for (String ns : namespaces) {
                    log("recalculate the db size on namespace: " + ns, jobs.startDbsizeScan(ns));
                }
            }
        }
        // Ten seconds apart either way: a clock set back does not stop the purge.
        if (lastPurge == null || Math.abs(java.time.Duration.between(lastPurge, now).getSeconds()) >= PURGE_EVERY_SECONDS) {
            lastPurge = now;
            jobs.purge(config.getLong("max-backup-to-keep"), config.getLong("max-backup-keep-hours"));
        }
    }

    private Cron schedule(String directive) {
        String text = config.getString(directive);
        // The directive's check has validated the text; it is parsed again only when it changes.
        Parsed p = parsed.get(directive);
        if (p == null || !p.text().equals(text)) {
            p = new Parsed(text, Cron.parse(text));
            parsed.put(directive, p);
        }
        return p.cron();
    }

    private static void log(String what, String error) {
        Log.info("[server] Schedule to " + what + ", result: " + (error == null ? "OK" : error));
    }
}
