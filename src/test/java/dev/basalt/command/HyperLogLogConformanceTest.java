package dev.basalt.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basalt.testutil.Conformance;
import dev.basalt.testutil.RawClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * PFADD, PFCOUNT and PFMERGE against a real redis-server, reply for reply: the same hash, registers and
 * estimator give the same estimates, from one element to ten million. Scripts leave out GET and the bit
 * commands on HyperLogLogs (Redis's are strings in its own format; Kvrocks's are a type of their own).
 */
@Timeout(600)
class HyperLogLogConformanceTest {
    @RegisterExtension
    static final Conformance servers = new Conformance();

    @Test
    void repliesAndErrors() {
        servers.compareScript("hll", """
                PFADD @h a b c d e f g
                PFADD @h a
                PFADD @h
                PFADD @h a a a z
                PFADD @empty
                PFADD @empty
                EXISTS @empty
                PFCOUNT @empty
                TYPE @h
                PFCOUNT @h
                PFCOUNT @h @empty @none
                PFCOUNT @h @h
                PFCOUNT @none
                PFADD @h2 x y z a b
                PFCOUNT @h @h2
                PFMERGE @m @h @h2
                PFCOUNT @m
                PFMERGE @m2
                EXISTS @m2
                PFCOUNT @m2
                PFMERGE @m @none
                PFCOUNT @m
                PFMERGE @h2 @h
                PFCOUNT @h2
                SET @s foo
                PFADD @s a
                PFCOUNT @s
                PFCOUNT @h @s
                PFMERGE @h @s
                PFMERGE @s @h
                LPUSH @l a
                PFADD @l a
                PFCOUNT @l
                PFCOUNT @h @l
                PFMERGE @l @h
                PFMERGE @d @l
                EXISTS @d
                PFADD
                PFCOUNT
                PFMERGE
                SET @over x
                DEL @over
                PFADD @over a
                PFCOUNT @over
                """);
    }

    /** Random elements (fixed seed) added to, counted over and merged between a few keys, compared reply for reply. */
    @Test
    void randomDifferential() {
        Random r = new Random(11);
        String[] keys = {"rh:a", "rh:b", "rh:c", "rh:d"};
        List<String[]> script = new ArrayList<>();
        for (int n = 0; n < 3000; n++) {
            String key = keys[r.nextInt(keys.length)];
            switch (r.nextInt(10)) {
                case 0, 1, 2, 3, 4 -> {
                    List<String> c = new ArrayList<>(List.of("PFADD", key));
                    int spread = 1 + r.nextInt(5) * 10_000;
                    for (int i = 0, m = r.nextInt(60); i < m; i++) {
                        c.add(Integer.toString(r.nextInt(spread), 36));
                    }
                    script.add(c.toArray(new String[0]));
                }
                case 5, 6 -> script.add(new String[] {"PFCOUNT", key});
                case 7 -> script.add(new String[] {"PFCOUNT", key, keys[r.nextInt(keys.length)], keys[r.nextInt(keys.length)]});
                case 8 -> script.add(new String[] {"PFMERGE", key, keys[r.nextInt(keys.length)], keys[r.nextInt(keys.length)]});
                default -> script.add(r.nextInt(8) == 0 ? new String[] {"DEL", key} : new String[] {"EXISTS", key});
            }
        }
        servers.compare(script);
    }

    /**
     * Ten million distinct elements added to one key on both servers, the estimates compared at every
     * power of ten (and in between) from one element on.
     */
    @Test
    void estimatesEqualRedisFromOneToTenMillionElements() {
        long[] checkpoints = {1, 2, 3, 5, 10, 30, 100, 300, 1_000, 3_000, 10_000, 30_000, 100_000, 300_000, 1_000_000,
            3_000_000, 10_000_000};
        try (RawClient redis = servers.redis(); RawClient basalt = servers.basalt()) {
            long added = 0;
            for (long target : checkpoints) {
                while (added < target) {
                    // Pipelined PFADDs of up to 1000 elements each, 64 commands at a time.
                    int commands = 0;
                    StringBuilder batch = new StringBuilder();
                    while (added < target && commands < 64) {
                        int n = (int) Math.min(1000, target - added);
                        String[] args = new String[n + 2];
                        args[0] = "PFADD";
                        args[1] = "hll:big";
                        for (int i = 0; i < n; i++) {
                            args[i + 2] = "element:" + (added + i);
                        }
                        added += n;
                        batch.append(RawClient.encode(args));
                        commands++;
                    }
                    redis.send(batch.toString());
                    basalt.send(batch.toString());
                    for (int i = 0; i < commands; i++) {
                        assertEquals(redis.readReply(), basalt.readReply(), "PFADD reply after " + added + " elements");
                    }
                }
                String estimate = basalt.call("PFCOUNT", "hll:big");
                assertEquals(redis.call("PFCOUNT", "hll:big"), estimate, "estimate after " + target + " elements");
                long value = Long.parseLong(estimate.substring(1, estimate.length() - 2));
                assertTrue(Math.abs(value - target) <= target * 0.02 + 1, target + " elements estimated as " + value);
            }
            assertEquals(redis.call("PFCOUNT", "hll:big", "hll:none"), basalt.call("PFCOUNT", "hll:big", "hll:none"));
        }
    }
}
