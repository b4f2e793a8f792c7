package dev.basalt.bench;

import dev.basalt.testutil.RawClient;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Load program for make bench (not a test): like redis-benchmark with a command template, but random
 * arguments are plain numbers ({@code {rand:N}}: an integer in [0, N); {@code {real:A:B}}: a number in
 * [A, B) with six decimals), which commands such as SETBIT need (redis-benchmark pads __rand_int__ with
 * zeros, and Redis refuses offsets with leading zeros). Clients send one request at a time. Prints
 * requests per second. Usage: CommandRate port clients requests arg...
 */
public final class CommandRate {
    private CommandRate() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int clients = Integer.parseInt(args[1]);
        int requests = Integer.parseInt(args[2]);
        String[] template = Arrays.copyOfRange(args, 3, args.length);
        int each = requests / clients;
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            threads.add(Thread.ofVirtual().start(() -> {
                try (RawClient client = new RawClient(port)) {
                    for (int i = 0; i < each; i++) {
                        String reply = client.call(fill(template));
                        if (reply.startsWith("-")) {
                            throw new IllegalStateException("error reply: " + reply.trim());
                        }
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "%.0f%n", each * (double) clients / seconds);
    }

    private static String[] fill(String[] template) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        String[] out = new String[template.length];
        for (int i = 0; i < template.length; i++) {
            String t = template[i];
            if (t.startsWith("{rand:") && t.endsWith("}")) {
                out[i] = Long.toString(r.nextLong(Long.parseLong(t.substring(6, t.length() - 1))));
            } else if (t.startsWith("{real:") && t.endsWith("}")) {
                String[] ab = t.substring(6, t.length() - 1).split(":");
                double a = Double.parseDouble(ab[0]);
                double b = Double.parseDouble(ab[1]);
                out[i] = String.format(Locale.ROOT, "%.6f", a + r.nextDouble() * (b - a));
            } else {
                out[i] = t;
            }
        }
        return out;
    }
}
