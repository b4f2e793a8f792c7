package dev.basalt.bench;

import dev.basalt.testutil.RawClient;
import dev.basalt.testutil.TestServer;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntFunction;

/**
 * Stream latencies on one long stream (a program, not a test): starts a TestServer (with 256 MB of block
 * cache and 64 MB write buffers), fills stream "big" with N entries through pipelined XADDs, then times
 * sequential commands, one round trip each, and prints percentiles beside the same commands on a
 * 100-entry stream: XADD, XRANGE and XREVRANGE of 100 entries from a random ID, XREADGROUP of 10 new
 * entries (groups placed at random IDs), XLEN and XINFO STREAM.
 *
 * <p>Usage (after {@code mvn -q -DskipTests test-compile}):
 * <pre>
 * mvn -q dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) dev.basalt.bench.StreamLatency [entries] [samples]
 * </pre>
 * Defaults: 10000000 entries, 20000 samples.
 */
public final class StreamLatency {
    private static final int IN_FLIGHT = 2000;

    private StreamLatency() {
    }

    public static void main(String[] args) {
        int entries = args.length > 0 ? Integer.parseInt(args[0]) : 10_000_000;
        int samples = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        Map<String, String> conf = Map.of("rocksdb.block_cache_size", "256", "rocksdb.write_buffer_size", "64");
        try (TestServer server = TestServer.start(conf); RawClient c = server.raw()) {
            long start = System.nanoTime();
            fill(c, "big", entries);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("filled %d entries in %.1f s (%.0f XADD/s pipelined), XLEN answers %s%n", entries,
                    seconds, entries / seconds, c.call("XLEN", "big").trim().substring(1));
            fill(c, "small", 100);
            for (String key : new String[] {"small", "big"}) {
                int n = key.equals("big") ? entries : 100;
                measure(c, key, n, Math.min(samples, 2000)); // warm-up, not printed
                print(key, n, measure(c, key, n, samples));
            }
        }
    }

    private static void fill(RawClient c, String key, int entries) {
        int inFlight = 0;
        for (int i = 1; i <= entries; i++) {
            c.send(RawClient.encode("XADD", key, i + "-0", "field", "value:" + i, "n", Integer.toString(i)));
            if (++inFlight == IN_FLIGHT) {
                check(c.readReply());
                inFlight--;
            }
        }
        while (inFlight-- > 0) {
            check(c.readReply());
        }
    }

    private static void check(String reply) {
        if (!reply.startsWith("$")) {
            throw new IllegalStateException("XADD failed: " + reply);
        }
    }

    /** Sorted round-trip times in microseconds of each kind of command, in the order {@link #KINDS} names them. */
    private static long[][] measure(RawClient c, String key, int entries, int samples) {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        int groups = 16;
        for (int g = 0; g < groups; g++) {
            c.call("XGROUP", "DESTROY", key, "g" + g);
            c.call("XGROUP", "CREATE", key, "g" + g, Integer.toString(rnd.nextInt(Math.max(1, entries - 100_000))));
        }
        IntFunction<String[]>[] commands = new IntFunction[] {
            s -> new String[] {"XADD", key, "*", "field", "value", "n", "1"},
            s -> new String[] {"XRANGE", key, Integer.toString(1 + rnd.nextInt(Math.max(1, entries - 100))), "+",
                "COUNT", "100"},
            s -> new String[] {"XREVRANGE", key, Integer.toString(100 + rnd.nextInt(Math.max(1, entries - 100))), "-",
                "COUNT", "100"},
            s -> new String[] {"XREADGROUP", "GROUP", "g" + (s % groups), "c", "COUNT", "10", "STREAMS", key, ">"},
            s -> new String[] {"XLEN", key},
            s -> new String[] {"XINFO", "STREAM", key},
        };
        long[][] micros = new long[commands.length][samples];
        for (int k = 0; k < commands.length; k++) {
            for (int s = 0; s < samples; s++) {
                String[] cmd = commands[k].apply(s);
                long t0 = System.nanoTime();
                String reply = c.call(cmd);
                micros[k][s] = (System.nanoTime() - t0) / 1000;
                if (reply.startsWith("-") || (k == 1 || k == 2) && !reply.startsWith("*100\r\n")) {
                    throw new IllegalStateException(String.join(" ", cmd) + " answered " + reply);
                }
            }
            Arrays.sort(micros[k]);
        }
        return micros;
    }

    private static final String[] KINDS = {"XADD", "XRANGE ... COUNT 100", "XREVRANGE ... COUNT 100",
        "XREADGROUP COUNT 10", "XLEN", "XINFO STREAM"};

    private static void print(String key, int entries, long[][] sorted) {
        for (int k = 0; k < KINDS.length; k++) {
            long[] s = sorted[k];
            System.out.printf("%-24s %9d entries  n=%d  p50=%d us  p90=%d us  p99=%d us  p99.9=%d us  max=%d us%n",
                    KINDS[k], entries, s.length, HashLatency.pct(s, 50), HashLatency.pct(s, 90),
                    HashLatency.pct(s, 99), HashLatency.pct(s, 99.9), s[s.length - 1]);
        }
    }
}
