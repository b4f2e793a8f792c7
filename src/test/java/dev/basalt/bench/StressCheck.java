package dev.basalt.bench;

import dev.basalt.testutil.RawClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load program (not a test) for the fairness check: while two clients run LRANGE 0 -1 on lists of
 * 2M elements and a third runs DBSIZE and KEYS over 5M keys, a fourth runs PING and GET; prints the
 * fourth client's latencies. Usage: StressCheck port [seconds] [listElements] [keys]
 */
public final class StressCheck {
    private StressCheck() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        int listElements = args.length > 2 ? Integer.parseInt(args[2]) : 2_000_000;
        int keys = args.length > 3 ? Integer.parseInt(args[3]) : 5_000_000;
        try (RawClient setup = new RawClient(port)) {
            long t0 = System.nanoTime();
            load(setup, "RPUSH", "stress:list:1", listElements, 1000, false);
            load(setup, "RPUSH", "stress:list:2", listElements, 1000, false);
            load(setup, "MSET", "stress:key:", keys, 500, true);
            System.out.printf("loaded 2 lists of %d and %d keys in %.1f s; DBSIZE %s%n", listElements, keys,
                    (System.nanoTime() - t0) / 1e9, setup.call("DBSIZE").trim());
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong lranges = new AtomicLong();
        AtomicLong walks = new AtomicLong();
        List<Thread> load = new ArrayList<>();
        for (int i = 1; i <= 2; i++) {
            String list = "stress:list:" + i;
            load.add(Thread.ofPlatform().start(() -> {
                // A client that reads as fast as it can: the replies are skipped, not parsed into strings.
                try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
                    java.io.InputStream in = new java.io.BufferedInputStream(socket.getInputStream(), 1 << 16);
                    byte[] request = RawClient.encode("LRANGE", list, "0", "-1").getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    while (!stop.get()) {
                        socket.getOutputStream().write(request);
                        long n = number(in);
                        for (long e = 0; e < n; e++) {
                            in.skipNBytes(number(in) + 2);
                        }
                        lranges.incrementAndGet();
                    }
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }));
        }
        load.add(Thread.ofPlatform().start(() -> {
            // KEYS over 5M keys may take longer than RawClient's usual 10 s while sharing the server.
            try (RawClient c = new RawClient(port, 0)) {
                while (!stop.get()) {
                    c.call("DBSIZE");
                    c.call("KEYS", "stress:key:*99999");
                    walks.incrementAndGet();
                }
            }
        }));
        Thread.sleep(1000);
        PingProbe probe = PingProbe.run(port, seconds, "stress:key:12345", 5);
        stop.set(true);
        for (Thread t : load) {
            t.join();
        }
        System.out.printf("%d PING/GET round trips over %d s while %d LRANGE 0 -1 (2M) and %d DBSIZE+KEYS (5M keys) ran:%n",
                probe.count(), seconds, lranges.get(), walks.get());
        System.out.println("  " + probe.summary());
    }

    /** Reads a header line such as "*2000000" or "$9" and returns its number. */
    private static long number(java.io.InputStream in) throws java.io.IOException {
        in.read(); // the type byte
        long n = 0;
        int c;
        while ((c = in.read()) != '\r') {
            n = n * 10 + (c - '0');
        }
        in.read(); // '\n'
        return n;
    }


    /** Pipelines the elements (or key/value pairs) in commands of `per` each. */
    private static void load(RawClient c, String command, String target, int total, int per, boolean pairs) {
        int pending = 0;
        StringBuilder sb = new StringBuilder();
        for (int start = 0; start < total; start += per) {
            int n = Math.min(per, total - start);
            List<String> argv = new ArrayList<>(n * 2 + 2);
            argv.add(command);
            if (!pairs) {
                argv.add(target);
            }
            for (int i = start; i < start + n; i++) {
                if (pairs) {
                    argv.add(target + i);
                }
                argv.add("v" + i);
            }
            sb.append(RawClient.encode(argv.toArray(new String[0])));
            pending++;
            if (pending == 50) {
                c.send(sb.toString());
                for (int i = 0; i < pending; i++) {
                    c.readReply();
                }
                sb.setLength(0);
                pending = 0;
            }
        }
        c.send(sb.toString());
        for (int i = 0; i < pending; i++) {
            c.readReply();
        }
    }
}
