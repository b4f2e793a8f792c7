package dev.basalt.bench;

import dev.basalt.testutil.RawClient;
import java.util.ArrayList;
import java.util.List;

/** For the load programs: PING and GET round trips on one connection, and their latency percentiles. */
final class PingProbe {
    private final long[] sortedMicros;

    private PingProbe(long[] sortedMicros) {
        this.sortedMicros = sortedMicros;
    }

    /** PING then GET key, over and over with a short pause, for the given seconds. */
    static PingProbe run(int port, int seconds, String key, long pauseMs) throws InterruptedException {
        List<Long> micros = new ArrayList<>();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        try (RawClient c = new RawClient(port)) {
            while (System.nanoTime() < end) {
                long s = System.nanoTime();
                c.call("PING");
                micros.add((System.nanoTime() - s) / 1000);
                s = System.nanoTime();
                c.call("GET", key);
                micros.add((System.nanoTime() - s) / 1000);
                Thread.sleep(pauseMs);
            }
        }
        return new PingProbe(micros.stream().mapToLong(Long::longValue).sorted().toArray());
    }

    int count() {
        return sortedMicros.length;
    }

    /** "p50 .. ms, p99 .. ms, max .. ms". */
    String summary() {
        return String.format("p50 %.2f ms, p99 %.2f ms, max %.2f ms", percentile(50) / 1000.0, percentile(99) / 1000.0,
                sortedMicros[sortedMicros.length - 1] / 1000.0);
    }

    private long percentile(int p) {
        int i = (int) Math.ceil(p / 100.0 * sortedMicros.length) - 1;
        return sortedMicros[Math.max(0, Math.min(sortedMicros.length - 1, i))];
    }
}
