package dev.basalt.bench;

import dev.basalt.testutil.RawClient;
import dev.basalt.testutil.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * BGSAVE of a large database (a program, not a test): starts a TestServer in DIR, fills it with SIZE_MB of
 * incompressible 1 KiB string values through pipelined SETs, flushes nothing by hand, then runs CLIENTS clients doing
 * SET/GET one round trip at a time and prints their p50/p99/max latency before and during a BGSAVE, the
 * BGSAVE's duration (from the reply until INFO shows it finished) and the backup's size on disk.
 *
 * <pre>
 * mvn -q dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) dev.basalt.bench.BgsaveLatency [size_mb] [clients] [dir]
 * </pre>
 * Defaults: 2048 MB, 20 clients, a temporary directory.
 */
public final class BgsaveLatency {
    private static final int VALUE = 1024;
    private static final int IN_FLIGHT = 1000;

    private BgsaveLatency() {
    }

    public static void main(String[] args) throws Exception {
        long sizeMb = args.length > 0 ? Long.parseLong(args[0]) : 2048;
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Path dir = args.length > 2 ? Path.of(args[2]) : Files.createTempDirectory("basalt-bgsave");
        Map<String, String> conf = Map.of("dir", dir.toString(), "rocksdb.block_cache_size", "256",
                "rocksdb.write_buffer_size", "64", "log-level", "warning");
        try (TestServer server = TestServer.start(conf); RawClient c = server.raw()) {
            long keys = sizeMb * 1024 * 1024 / VALUE;
            long start = System.nanoTime();
            // Incompressible values (1024 random ones in turn), so the files are as large as the data.
            String[] values = new String[1024];
            java.util.Random random = new java.util.Random(1);
            for (int v = 0; v < values.length; v++) {
                byte[] raw = new byte[VALUE * 3 / 4];
                random.nextBytes(raw);
                values[v] = java.util.Base64.getEncoder().encodeToString(raw);
            }
            int inFlight = 0;
            for (long i = 0; i < keys; i++) {
                c.send(RawClient.encode("SET", "key:" + i, values[(int) (i % values.length)]));
                if (++inFlight == IN_FLIGHT) {
                    c.readReply();
                    inFlight--;
                }
            }
            while (inFlight-- > 0) {
                c.readReply();
            }
            System.out.printf("filled %d keys of %d bytes (%d MB of values) in %.1f s; dir holds %d MB%n", keys, VALUE,
                    sizeMb, (System.nanoTime() - start) / 1e9, du(dir) >> 20);

            long[] before = load(server, clients, keys, 5_000, null);
            print("before BGSAVE", before);
            AtomicBoolean saving = new AtomicBoolean(true);
            long[] bgsaveNanos = new long[1];
            Thread saver = Thread.ofPlatform().start(() -> {
                try (RawClient admin = server.raw()) {
                    long t = System.nanoTime();
                    admin.call("BGSAVE");
                    while (server.server().jobs().status().bgsaveInProgress() || server.server().jobs().busy()) {
                        Thread.sleep(5);
                    }
                    bgsaveNanos[0] = System.nanoTime() - t;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    saving.set(false);
                }
            });
            long[] during = load(server, clients, keys, Long.MAX_VALUE, saving);
            saver.join();
            print("during BGSAVE", during);
            Path backup = dev.basalt.command.DbJobs.backupDir(server.server().config());
            System.out.printf("BGSAVE took %.2f s (status %s); backup %s holds %d MB (hard links to the SST files)%n",
                    bgsaveNanos[0] / 1e9, server.server().jobs().status().lastBgsaveStatus(), backup, du(backup) >> 20);
        }
    }

    /** Each client does SET and GET of random keys, one at a time, until n requests or until running turns false. */
    private static long[] load(TestServer server, int clients, long keys, long perClient, AtomicBoolean running)
            throws InterruptedException {
        List<long[]> all = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < clients; t++) {
            long[][] slot = new long[1][];
            threads.add(Thread.ofPlatform().start(() -> {
                long[] lat = new long[1 << 20];
                int n = 0;
                java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
                try (RawClient c = server.raw()) {
                    while (n < perClient && n < lat.length && (running == null ? true : running.get())) {
                        String k = "key:" + r.nextLong(keys);
                        long s = System.nanoTime();
                        if ((n & 1) == 0) {
                            c.call("SET", k, "w");
                        } else {
                            c.call("GET", k);
                        }
                        lat[n++] = System.nanoTime() - s;
                    }
                }
                slot[0] = Arrays.copyOf(lat, n);
                synchronized (all) {
                    all.add(slot[0]);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        return all.stream().flatMapToLong(Arrays::stream).sorted().toArray();
    }

    private static void print(String what, long[] sorted) {
        if (sorted.length == 0) {
            System.out.println(what + ": no requests");
            return;
        }
        System.out.printf("%s: %d requests, p50 %.0f us, p99 %.0f us, p99.9 %.0f us, max %.1f ms%n", what, sorted.length,
                sorted[sorted.length / 2] / 1e3, sorted[(int) (sorted.length * 0.99)] / 1e3,
                sorted[(int) (sorted.length * 0.999)] / 1e3, sorted[sorted.length - 1] / 1e6);
    }

    private static long du(Path p) throws Exception {
        if (!Files.exists(p)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(p)) {
            return s.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }
}
