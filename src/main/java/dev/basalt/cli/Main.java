package dev.basalt.cli;

import dev.basalt.config.Config;
import dev.basalt.config.ConfigException;
import dev.basalt.config.ConfigFile;
import dev.basalt.server.Server;
import dev.basalt.util.Log;
import dev.basalt.util.Version;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import sun.misc.Signal;

/**
 * {@code java -jar basalt.jar [-c kvrocks.conf] [--<directive> <value>]...}: reads the configuration,
 * starts the server and runs until SHUTDOWN, SIGTERM or SIGINT, each of which stops it gracefully
 * and exits 0. Anything that prevents starting exits non-zero with one line on stderr.
 */
public final class Main {
    /** Exit status for a wrong command line. */
    static final int USAGE = 2;
    /** Exit status for a bad configuration or a failed start. */
    static final int FAILED = 1;

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs to completion and returns the exit status. */
    static int run(String[] args) {
        Cli.Invocation inv;
        try {
            inv = Cli.parse(args);
        } catch (UsageException e) {
            System.err.println("basalt: " + e.getMessage());
            return USAGE;
        } catch (ConfigException e) {
            System.err.println("basalt: " + e.getMessage());
            return FAILED;
        }
        return switch (inv) {
            case Cli.Help h -> {
                System.out.print(h.text());
                System.out.flush();
                yield 0;
            }
            case Cli.Version v -> {
                System.out.println(v.text());
                yield 0;
            }
            case Cli.Run r -> serve(r.config(), r.warnings());
        };
    }

    private static int serve(Config config, List<String> warnings) {
        // Before anything starts a virtual thread: the scheduler reads its size once.
        String carriers = CarrierThreads.apply(config.getInt("workers"));
        String logDir = config.getString("log-dir");
        try {
            Log.setDirectory(logDir);
        } catch (IOException e) {
            System.err.println("basalt: log-dir: cannot log to '" + logDir + "': " + ConfigFile.describe(e));
            return FAILED;
        }
        Log.setLevel(config.getString("log-level"));
        Log.setRetentionDays(config.getInt("log-retention-days"));
        warnings.forEach(Log::warn);
        Log.info(carriers);
        if (config.file() == null) {
            Log.info("No configuration file given (-c kvrocks.conf): every directive has its default");
        }
        String dir = config.getString("dir");
        try {
            Files.createDirectories(Path.of(dir));
        } catch (IOException e) {
            System.err.println("basalt: dir: cannot create '" + dir + "': " + ConfigFile.describe(e));
            return FAILED;
        }
        Server server;
        try {
            server = Server.start(config);
        } catch (Exception e) {
            System.err.println("basalt: cannot start: " + e.getMessage());
            return FAILED;
        }
        for (String signal : new String[] {"TERM", "INT"}) {
            try {
                // Our own handler replaces the JVM's, which would exit with 128 + signal number.
                Signal.handle(new Signal(signal), s -> server.shutdownAsync());
            } catch (IllegalArgumentException e) {
                Log.warn("cannot handle SIG" + signal + ": " + e.getMessage());
            }
        }
        try {
            // As Redis and Kvrocks under logrotate: SIGHUP reopens the log file.
            Signal.handle(new Signal("HUP"), s -> {
                try {
                    Log.reopen();
                } catch (IOException e) {
                    System.err.println("basalt: cannot reopen the log: " + e.getMessage());
                }
            });
        } catch (IllegalArgumentException e) {
            Log.warn("cannot handle SIGHUP: " + e.getMessage());
        }
        Path pidfile = null;
        String pidfileName = config.getString("pidfile");
        long pid = ProcessHandle.current().pid();
        if (!pidfileName.isEmpty()) {
            pidfile = Path.of(pidfileName);
            try {
                Files.writeString(pidfile, pid + "\n", StandardCharsets.UTF_8);
            } catch (IOException e) {
                server.stop();
                System.err.println("basalt: pidfile: cannot write '" + pidfileName + "': " + ConfigFile.describe(e));
                return FAILED;
            }
        }
        String ready = "Basalt " + Version.VERSION + " ready: pid " + pid + ", port " + server.port();
        System.out.println(ready);
        if (!logDir.equals("stdout")) {
            Log.info(ready);
        }
        try {
            server.awaitStopped();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.stop();
        }
        if (pidfile != null) {
            try {
                Files.deleteIfExists(pidfile);
            } catch (IOException e) {
                Log.warn("cannot remove the pidfile " + pidfile + ": " + e.getMessage());
            }
        }
        return 0;
    }
}
