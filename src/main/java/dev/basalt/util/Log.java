package dev.basalt.util;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Timestamped, levelled log lines to stdout or to {@code log-dir}/basalt.log. In a directory, each day gets
 * its own file: at the first line of a new day basalt.log becomes basalt-YYYY-MM-DD.log (the day it covers)
 * and a new basalt.log starts; with {@code log-retention-days} N (not -1), dated files older than N days are
 * deleted then, and when the setting changes. {@link #reopen} (SIGHUP) reopens basalt.log, for logrotate.
 */
public final class Log {
    public enum Level { DEBUG, INFO, WARNING, ERROR, FATAL }

    static final String CURRENT = "basalt.log";
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");
    private static volatile Level threshold = Level.INFO;
    private static volatile PrintStream out = System.out;
    private static final ReentrantLock fileLock = new ReentrantLock();
    // Written under fileLock; read without it on every line.
    private static volatile Path dir;
    private static volatile LocalDate day;
    private static int retentionDays = -1;
    private static Clock clock = Clock.systemDefaultZone();

    private Log() {
    }

    /** Kvrocks's log-level names: debug, info, warning, error, fatal. */
    public static void setLevel(String name) {
        threshold = Level.valueOf(name.toUpperCase(Locale.ROOT));
    }

    /** "stdout" (or empty) logs to standard output; anything else is a directory for basalt.log. */
    public static void setDirectory(String logDir) throws IOException {
        fileLock.lock();
        try {
            if (logDir == null || logDir.isBlank() || logDir.equals("stdout")) {
                closeFile();
                dir = null;
                out = System.out;
                return;
            }
            Path d = Path.of(logDir);
            Files.createDirectories(d);
            closeFile();
            dir = d;
            openFile();
        } finally {
            fileLock.unlock();
        }
    }

    /** Closes and reopens basalt.log (after logrotate moved it away); nothing when logging to stdout. */
    public static void reopen() throws IOException {
        fileLock.lock();
        try {
            if (dir != null) {
                closeFile();
                openFile();
            }
        } finally {
            fileLock.unlock();
        }
        info("Log file reopened");
    }

    /** log-retention-days: -1 keeps every file; otherwise dated files older than this many days go, now and daily. */
    public static void setRetentionDays(int days) {
        fileLock.lock();
        try {
            retentionDays = days;
            deleteOldFiles();
        } finally {
            fileLock.unlock();
        }
    }

    /** Test seam: the clock that dates lines and files. */
    static void setClock(Clock c) {
        fileLock.lock();
        try {
            clock = c;
        } finally {
            fileLock.unlock();
        }
    }

    private static void openFile() throws IOException {
        Path file = dir.resolve(CURRENT);
        LocalDate today = LocalDate.now(clock);
        if (Files.exists(file)) {
            // A file left by an earlier day (say, before a restart) is moved aside first.
            LocalDate written = LocalDate.ofInstant(Files.getLastModifiedTime(file).toInstant(), clock.getZone());
            if (written.isBefore(today)) {
                moveAside(file, written);
            }
        }
        out = new PrintStream(Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND), true);
        day = today;
    }

    private static void closeFile() {
        if (out != System.out) {
            out.close();
        }
    }

    private static void moveAside(Path file, LocalDate of) throws IOException {
        Path dated = dir.resolve("basalt-" + of + ".log");
        if (Files.exists(dated)) {
            // Two pieces of one day (after a restart): keep both.
            dated = dir.resolve("basalt-" + of + "-" + System.nanoTime() + ".log");
        }
        Files.move(file, dated, StandardCopyOption.ATOMIC_MOVE);
    }

    /** At the first line of a new day: the old day's file gets its date, a new basalt.log starts, old files go. */
    private static void rotateIfNewDay() {
        if (dir == null) {
            return;
        }
        LocalDate today = LocalDate.now(clock);
        if (today.equals(day)) {
            return;
        }
        fileLock.lock();
        try {
            if (dir == null || today.equals(day)) {
                return;
            }
            closeFile();
            moveAside(dir.resolve(CURRENT), day);
            openFile();
            deleteOldFiles();
        } catch (IOException e) {
            System.err.println("basalt: cannot rotate the log in " + dir + ": " + e.getMessage());
            day = today; // try again tomorrow rather than on every line
        } finally {
            fileLock.unlock();
        }
    }

    private static void deleteOldFiles() {
        if (dir == null || retentionDays < 0) {
            return;
        }
        LocalDate oldestKept = LocalDate.now(clock).minusDays(retentionDays);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "basalt-*.log")) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                LocalDate date;
                try {
                    date = LocalDate.parse(name.substring("basalt-".length(), "basalt-".length() + 10));
                } catch (DateTimeParseException | IndexOutOfBoundsException e) {
                    continue;
                }
                if (date.isBefore(oldestKept)) {
                    Files.deleteIfExists(f);
                }
            }
        } catch (IOException e) {
            System.err.println("basalt: cannot clean old logs in " + dir + ": " + e.getMessage());
        }
    }

    public static void debug(String msg) {
        log(Level.DEBUG, msg);
    }

    public static void info(String msg) {
        log(Level.INFO, msg);
    }

    public static void warn(String msg) {
        log(Level.WARNING, msg);
    }

    public static void error(String msg) {
        log(Level.ERROR, msg);
    }

    public static void error(String msg, Throwable t) {
        log(Level.ERROR, msg + ": " + t);
        if (threshold == Level.DEBUG) {
            t.printStackTrace(out);
        }
    }

    private static void log(Level level, String msg) {
        if (level.ordinal() < threshold.ordinal()) {
            return;
        }
        rotateIfNewDay();
        out.println(LocalDateTime.now(clock).format(TS) + " [" + level + "] " + msg);
    }
}
