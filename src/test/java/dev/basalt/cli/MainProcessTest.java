package dev.basalt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basalt.testutil.RawClient;
import dev.basalt.util.Version;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs Main in a child JVM: start-up line, graceful exit 0 on SIGTERM and SHUTDOWN, failures exit non-zero. */
class MainProcessTest {
    private static final Pattern READY = Pattern.compile(
            "Basalt " + Pattern.quote(Version.VERSION) + " ready: pid (\\d+), port (\\d+)");

    @TempDir
    Path tmp;

    private Process start(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "dev.basalt.cli.Main"));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).directory(tmp.toFile()).redirectErrorStream(true).start();
    }

    /** Reads output lines until the start-up line; returns its pid and port. */
    private static long[] awaitReady(BufferedReader r, List<String> seen) throws IOException {
        String line;
        while ((line = r.readLine()) != null) {
            seen.add(line);
            Matcher m = READY.matcher(line);
            if (m.matches()) {
                return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
            }
        }
        return null;
    }

    private static BufferedReader output(Process p) {
        return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    }

    private static String rest(BufferedReader r) throws IOException {
        StringBuilder sb = new StringBuilder();
        String line;
        while ((line = r.readLine()) != null) {
            sb.append(line).append('\n');
        }
        return sb.toString();
    }

    @Test
    void sigtermStopsGracefullyWithStatusZero() throws Exception {
        Path conf = tmp.resolve("kvrocks.conf");
        Files.writeString(conf, "port 0\nrocksdb.block_cache_size 16\npidfile basalt.pid\n");
        Process p = start("-c", conf.toString(), "--dir", "data", "--rocksdb.write_buffer_size", "4");
        BufferedReader out = output(p);
        List<String> seen = new ArrayList<>();
        long[] ready = awaitReady(out, seen);
        assertNotNull(ready, String.join("\n", seen));
        assertEquals(p.pid(), ready[0]);
        assertEquals(p.pid() + "\n", Files.readString(tmp.resolve("basalt.pid")));
        assertTrue(Files.isDirectory(tmp.resolve("data")), "relative dir resolves against the working directory");
        try (RawClient c = new RawClient((int) ready[1])) {
            assertEquals("+PONG\r\n", c.call("PING"));
        }
        p.toHandle().destroy(); // SIGTERM
        String log = rest(out);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), log);
        assertTrue(log.contains("Storage closed"), log);
        assertTrue(Files.notExists(tmp.resolve("basalt.pid")));
    }

    @Test
    void shutdownCommandExitsWithStatusZero() throws Exception {
        Process p = start("--port", "0", "--dir", "data", "--rocksdb.block_cache_size", "16",
                "--rocksdb.write_buffer_size", "4", "--workers", "1");
        BufferedReader out = output(p);
        List<String> seen = new ArrayList<>();
        long[] ready = awaitReady(out, seen);
        assertNotNull(ready, String.join("\n", seen));
        assertTrue(seen.stream().anyMatch(l -> l.contains("Clients run on 1 carrier thread (workers 1, ")),
                String.join("\n", seen));
        try (RawClient c = new RawClient((int) ready[1])) {
            c.send(RawClient.encode("SHUTDOWN"));
            assertTrue(c.isClosedByServer());
        }
        String log = rest(out);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), log);
    }

    @Test
    void startupFailuresExitNonZeroWithOneLine() throws Exception {
        Files.writeString(tmp.resolve("blocker"), "a file where the data directory should be");
        Process p = start("--port", "0", "--dir", "blocker/data", "--log-level", "error");
        String out = rest(output(p)).strip();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(1, p.exitValue(), out);
        assertEquals(1, out.lines().count(), out);
        assertEquals("basalt: dir: cannot create 'blocker/data': Not a directory", out);

        p = start("--port", "0", "--dir", "blocker", "--log-level", "error");
        out = rest(output(p)).strip();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals("basalt: dir: cannot create 'blocker': a file is in the way", out);
        assertEquals(1, p.exitValue());

        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            p = start("--port", Integer.toString(taken.getLocalPort()), "--dir", "data", "--log-level", "error");
            out = rest(output(p)).strip();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals("basalt: cannot start: cannot listen on 127.0.0.1:" + taken.getLocalPort()
                    + ": Address already in use", out);
            assertEquals(1, p.exitValue());
        }

        p = start("--port", "0", "--unknown-flag", "x");
        assertEquals("basalt: unknown option '--unknown-flag' (see --help)", rest(output(p)).strip());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue());
    }

    @Test
    void logFilesInLogDirReopenOnSighup() throws Exception {
        Process p = start("--port", "0", "--dir", "data", "--log-dir", "logs", "--log-retention-days", "7",
                "--rocksdb.block_cache_size", "16", "--rocksdb.write_buffer_size", "4");
        BufferedReader out = output(p);
        List<String> seen = new ArrayList<>();
        long[] ready = awaitReady(out, seen);
        assertNotNull(ready, String.join("\n", seen));
        Path log = tmp.resolve("logs").resolve("basalt.log");
        // The ready line goes to stdout first, then to the log file.
        dev.basalt.testutil.Await.until("the ready line in basalt.log", () -> {
            try {
                return Files.readString(log).contains("ready: pid " + p.pid());
            } catch (IOException e) {
                return false;
            }
        });
        Files.move(log, tmp.resolve("logs").resolve("basalt.log.1"));
        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(p.pid())).start();
        assertEquals(0, kill.waitFor());
        dev.basalt.testutil.Await.until("SIGHUP reopens basalt.log", () -> Files.exists(log));
        dev.basalt.testutil.Await.until("the reopened file gets lines", () -> {
            try {
                return Files.readString(log).contains("Log file reopened");
            } catch (IOException e) {
                return false;
            }
        });
        try (RawClient c = new RawClient((int) ready[1])) {
            assertEquals("*2\r\n$18\r\nlog-retention-days\r\n$1\r\n7\r\n", c.call("CONFIG", "GET", "log-retention-days"));
            assertEquals("+OK\r\n", c.call("CONFIG", "SET", "log-retention-days", "3"));
        }
        p.toHandle().destroy();
        rest(out);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue());
    }

    @Test
    void daemonizeIsRefusedWithOneLine() throws Exception {
        Process p = start("--port", "0", "--dir", "data", "--daemonize", "yes");
        String out = rest(output(p)).strip();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(1, p.exitValue(), out);
        assertEquals("basalt: --daemonize: 'yes' is not supported: Basalt runs in the foreground; run it under a"
                + " supervisor instead", out);
    }
}
