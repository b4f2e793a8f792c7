package dev.basalt.bench;

import dev.basalt.testutil.RawClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load program (not a test): PING and GET latency on one connection while 20 others write into a real
 * RocksDB write stall (DEBUG WRITE-STALL on; start Basalt with small memtables and
 * rocksdb.write_options.no_slowdown no, so stalled writes wait). Usage: StallCheck port [seconds]
 */
public final class StallCheck {
    private StallCheck() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        String big = "x".repeat(64 * 1024);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong acknowledged = new AtomicLong();
        try (RawClient admin = new RawClient(port)) {
            admin.call("SET", "probe", "v");
            admin.call("DEBUG", "WRITE-STALL", "on");
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < 20; w++) {
                int id = w;
                writers.add(Thread.ofPlatform().start(() -> {
                    try (RawClient c = new RawClient(port)) {
                        for (int i = 0; !stop.get(); i++) {
                            c.call("SET", "stall:" + id + ":" + i, big);
                            acknowledged.incrementAndGet();
                        }
                    } catch (java.io.UncheckedIOException e) {
                        // the client's read timeout: this writer waited in the stall longer than it would wait
                    }
                }));
            }
            // Until the writes stop being acknowledged: RocksDB has stopped writes.
            long last = -1;
            while (acknowledged.get() != last) {
                last = acknowledged.get();
                Thread.sleep(500);
            }
            System.out.printf("writers stalled after %d acknowledged writes%n", last);
            PingProbe probe = PingProbe.run(port, seconds, "probe", 2);
            System.out.printf("%d PING/GET round trips over %d s of stall (%d writes acknowledged meanwhile):%n",
                    probe.count(), seconds, acknowledged.get() - last);
            System.out.println("  " + probe.summary());
            stop.set(true);
            admin.call("DEBUG", "WRITE-STALL", "off");
            for (Thread t : writers) {
                t.join();
            }
        }
    }
}
