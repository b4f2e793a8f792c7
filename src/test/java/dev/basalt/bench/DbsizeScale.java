package dev.basalt.bench;

import dev.basalt.testutil.RawClient;
import dev.basalt.testutil.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * DBSIZE on a large keyspace (a program, not a test): fills DIR with N small string keys through pipelined
 * SETs, then prints DBSIZE's round-trip latency, the time a restarted server takes until its first DBSIZE
 * answers (the key counts are made in the background at start-up), how long DBSIZE SCAN takes, and another
 * client's PING latency meanwhile.
 *
 * <pre>
 * mvn -q dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) dev.basalt.bench.DbsizeScale [keys] [dir]
 * </pre>
 * Defaults: 10000000 keys, a temporary directory.
 */
public final class DbsizeScale {
    private static final int IN_FLIGHT = 2000;

    private DbsizeScale() {
    }

    public static void main(String[] args) throws Exception {
        long keys = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000;
        Path dir = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("basalt-dbsize");
        Map<String, String> conf = Map.of("dir", dir.toString(), "rocksdb.block_cache_size", "256",
                "rocksdb.write_buffer_size", "64", "log-level", "warning");
        try (TestServer server = TestServer.start(conf); RawClient c = server.raw()) {
            long start = System.nanoTime();
            int inFlight = 0;
            for (long i = 0; i < keys; i++) {
                c.send(RawClient.encode("SET", "k" + i, "v"));
                if (++inFlight == IN_FLIGHT) {
                    c.readReply();
                    inFlight--;
                }
            }
            while (inFlight-- > 0) {
                c.readReply();
            }
            System.out.printf("filled %d keys in %.1f s%n", keys, (System.nanoTime() - start) / 1e9);
            timeDbsize(c, "DBSIZE while serving");
            server.stop();
        }
        long restart = System.nanoTime();
        try (TestServer server = TestServer.start(conf); RawClient c = server.raw()) {
            long listening = System.nanoTime();
            String first = c.call("DBSIZE").trim();
            long answered = System.nanoTime();
            System.out.printf("restart: listening after %.2f s; first DBSIZE (%s) after %.2f s more (the start-up count)%n",
                    (listening - restart) / 1e9, first, (answered - listening) / 1e9);
            timeDbsize(c, "DBSIZE after restart");

            long[] pings = new long[200_000];
            int[] n = {0};
            long scanStart = System.nanoTime();
            c.call("DBSIZE", "SCAN");
            Thread pinger = Thread.ofPlatform().start(() -> {
                try (RawClient p = server.raw()) {
                    while (server.server().jobs().lastScan("__namespace") == null && n[0] < pings.length) {
                        long s = System.nanoTime();
                        p.call("PING");
                        pings[n[0]++] = System.nanoTime() - s;
                    }
                }
            });
            pinger.join();
            long scanNanos = System.nanoTime() - scanStart;
            long[] sorted = Arrays.copyOf(pings, n[0]);
            Arrays.sort(sorted);
            System.out.printf("DBSIZE SCAN of %d keys took %.1f s (INFO keyspace then: %s); PING meanwhile: %d calls, "
                    + "p50 %.0f us, p99 %.0f us, max %.1f ms%n", keys, scanNanos / 1e9,
                    server.server().jobs().lastScan("__namespace").stats(), sorted.length,
                    sorted[sorted.length / 2] / 1e3, sorted[(int) (sorted.length * 0.99)] / 1e3,
                    sorted[sorted.length - 1] / 1e6);
        }
    }

    private static void timeDbsize(RawClient c, String what) {
        long[] lat = new long[1000];
        String answer = "";
        for (int i = 0; i < lat.length; i++) {
            long s = System.nanoTime();
            answer = c.call("DBSIZE").trim();
            lat[i] = System.nanoTime() - s;
        }
        Arrays.sort(lat);
        System.out.printf("%s: %s, p50 %.0f us, p99 %.0f us over %d calls%n", what, answer, lat[500] / 1e3,
                lat[990] / 1e3, lat.length);
    }
}
