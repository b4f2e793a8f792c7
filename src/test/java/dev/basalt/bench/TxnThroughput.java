package dev.basalt.bench;

import dev.basalt.testutil.RawClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load program for make bench (not a test): N clients, each doing MULTI + 10 SETs + EXEC, then the
 * same 10 SETs pipelined without MULTI; prints groups per second for both.
 * Usage: TxnThroughput host port clients totalGroups
 */
public final class TxnThroughput {
    private TxnThroughput() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[1]);
        int clients = Integer.parseInt(args[2]);
        int total = Integer.parseInt(args[3]);
        double multi = run(port, clients, total, true);
        double plain = run(port, clients, total, false);
        System.out.printf("  MULTI/10xSET/EXEC: %10.0f txn/s%n  10xSET pipelined:  %10.0f groups/s%n  ratio (txn / pipelined): %.2f%n",
                multi, plain, multi / plain);
    }

    private static double run(int port, int clients, int total, boolean transactional) throws Exception {
        int each = total / clients;
        AtomicLong done = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            int id = c;
            threads.add(Thread.ofVirtual().start(() -> {
                try (RawClient client = new RawClient(port)) {
                    for (int i = 0; i < each; i++) {
                        StringBuilder sb = new StringBuilder();
                        if (transactional) {
                            sb.append(RawClient.encode("MULTI"));
                        }
                        for (int k = 0; k < 10; k++) {
                            sb.append(RawClient.encode("SET", "bench:" + id + ":" + k, Integer.toString(i)));
                        }
                        if (transactional) {
                            sb.append(RawClient.encode("EXEC"));
                        }
                        client.send(sb.toString());
                        int replies = transactional ? 12 : 10;
                        for (int r = 0; r < replies; r++) {
                            client.readReply();
                        }
                        done.incrementAndGet();
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return done.get() / seconds;
    }
}
