package dev.basalt.util;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Timestamped, levelled log lines to stdout or to {@code log-dir}/basalt.log. */
public final class Log {
    public enum Level { DEBUG, INFO, WARNING, ERROR, FATAL }

    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");
    private static volatile Level threshold = Level.INFO;
    private static volatile PrintStream out = System.out;

    private Log() {
    }

    /** Kvrocks's log-level names: debug, info, warning, error, fatal. */
    public static void setLevel(String name) {
        threshold = Level.valueOf(name.toUpperCase(Locale.ROOT));
    }

    /** "stdout" (or empty) logs to standard output; anything else is a directory for basalt.log. */
    public static void setDirectory(String logDir) throws IOException {
        if (logDir == null || logDir.isBlank() || logDir.equals("stdout")) {
            out = System.out;
            return;
        }
        Path dir = Path.of(logDir);
        Files.createDirectories(dir);
        out = new PrintStream(Files.newOutputStream(dir.resolve("basalt.log"),
                StandardOpenOption.CREATE, StandardOpenOption.APPEND), true);
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
        out.println(LocalDateTime.now().format(TS) + " [" + level + "] " + msg);
    }
}
