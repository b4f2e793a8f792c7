package dev.basalt.bench;

import dev.basalt.testutil.RawClient;
import dev.basalt.testutil.TestServer;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * HGET latency on one big hash (a program, not a test): starts a TestServer, fills hash "big" with
 * N fields through pipelined HSETs, then times sequential HGETs of random fields, one round trip
 * each, and prints percentiles; a 100-field hash is timed the same way for comparison.
 *
 * <p>Usage (after {@code mvn -q -DskipTests test-compile}):
 * <pre>
 * mvn -q dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) dev.basalt.bench.HashLatency [fields] [samples]
 * </pre>
 * Defaults: 1000000 fields, 20000 samples. The server runs with TestServer's small RocksDB caches.
 */
public final class HashLatency {
    private static final int FIELDS_PER_HSET = 1000;
    private static final int HSETS_IN_FLIGHT = 8;

    private HashLatency() {
    }

    public static void main(String[] args) {
        int fields = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int samples = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        try (TestServer server = TestServer.start(Map.of()); RawClient c = server.raw()) {
            long start = System.nanoTime();
            fill(c, "big", fields);
            double fillSeconds = (System.nanoTime() - start) / 1e9;
            String len = c.call("HLEN", "big").trim();
            System.out.printf("filled %d fields in %.1f s (%.0f fields/s), HLEN answers %s%n",
                    fields, fillSeconds, fields / fillSeconds, len.substring(1));
            fill(c, "small", 100);

            measure(c, "small", 100, Math.min(samples, 1000)); // warm-up, not printed
            measure(c, "big", fields, Math.min(samples, 1000));
            print("HGET, 100-field hash", measure(c, "small", 100, samples));
            print("HGET, " + fields + "-field hash", measure(c, "big", fields, samples));
        }
    }

    private static String field(int i) {
        return "field:" + i;
    }

    private static void fill(RawClient c, String key, int fields) {
        int inFlight = 0;
        for (int from = 0; from < fields; from += FIELDS_PER_HSET) {
            int to = Math.min(fields, from + FIELDS_PER_HSET);
            String[] cmd = new String[2 + 2 * (to - from)];
            cmd[0] = "HSET";
            cmd[1] = key;
            for (int i = from; i < to; i++) {
                cmd[2 + 2 * (i - from)] = field(i);
                cmd[3 + 2 * (i - from)] = "value:" + i;
            }
            c.send(RawClient.encode(cmd));
            if (++inFlight == HSETS_IN_FLIGHT) {
                check(c.readReply());
                inFlight--;
            }
        }
        while (inFlight-- > 0) {
            check(c.readReply());
        }
    }

    private static void check(String reply) {
        if (!reply.startsWith(":")) {
            throw new IllegalStateException("HSET failed: " + reply);
        }
    }

    /** Round-trip times in microseconds of samples HGETs of random existing fields. */
    private static long[] measure(RawClient c, String key, int fields, int samples) {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        long[] micros = new long[samples];
        for (int s = 0; s < samples; s++) {
            int i = rnd.nextInt(fields);
            long t0 = System.nanoTime();
            String reply = c.call("HGET", key, field(i));
            micros[s] = (System.nanoTime() - t0) / 1000;
            if (!reply.endsWith("value:" + i + "\r\n")) {
                throw new IllegalStateException("HGET " + field(i) + " answered " + reply);
            }
        }
        Arrays.sort(micros);
        return micros;
    }

    private static void print(String what, long[] sorted) {
        System.out.printf("%-28s n=%d  p50=%d us  p90=%d us  p99=%d us  p99.9=%d us  max=%d us  mean=%.1f us%n",
                what, sorted.length, pct(sorted, 50), pct(sorted, 90), pct(sorted, 99), pct(sorted, 99.9),
                sorted[sorted.length - 1], Arrays.stream(sorted).average().orElse(0));
    }

    /** The p-th percentile of sorted values (also the other latency programs'). */
    static long pct(long[] sorted, double p) {
        int idx = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, idx))];
    }
}
