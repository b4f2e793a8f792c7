package dev.basalt.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basalt.testutil.RawClient;
import dev.basalt.testutil.RespValue;
import dev.basalt.testutil.SharedServer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Reads take no locks, yet a read of several RocksDB keys (MGET, HGETALL, LRANGE, SMEMBERS) comes from
 * one snapshot: while writers commit changes that set every value of a group to the same number, a
 * reader never sees two numbers in one reply.
 */
@Timeout(120)
class ConsistentReadsTest {
    private static final int WRITES = 3_000;

    @RegisterExtension
    static final SharedServer server = new SharedServer();

    @Test
    void aReaderNeverSeesHalfOfACommit() throws Exception {
        try (RawClient setup = server.raw()) {
            setup.call("MSET", "cr:a", "0", "cr:b", "0", "cr:c", "0");
            setup.call("HSET", "cr:h", "f1", "0", "f2", "0", "f3", "0");
            setup.call("RPUSH", "cr:l", "0", "0", "0");
        }
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<String> mixed = new AtomicReference<>();
        AtomicLong reads = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            int writer = w;
            threads.add(Thread.ofVirtual().start(() -> {
                try (RawClient c = server.raw()) {
                    for (int i = 1; i <= WRITES; i++) {
                        String v = writer + ":" + i;
                        c.call("MSET", "cr:a", v, "cr:b", v, "cr:c", v);
                        c.call("HSET", "cr:h", "f1", v, "f2", v, "f3", v);
                        // A list rewritten whole in one transaction: deleted, then three equal elements.
                        c.call("MULTI");
                        c.call("DEL", "cr:l");
                        c.call("RPUSH", "cr:l", v, v, v);
                        c.call("EXEC");
                    }
                }
            }));
        }
        for (int r = 0; r < 2; r++) {
            threads.add(Thread.ofVirtual().start(() -> {
                try (RawClient c = server.raw()) {
                    while (!done.get() && mixed.get() == null) {
                        check(c.call("MGET", "cr:a", "cr:b", "cr:c"), "MGET", mixed);
                        check(c.call("HVALS", "cr:h"), "HVALS", mixed);
                        check(c.call("HGETALL", "cr:h"), "HGETALL", mixed);
                        check(c.call("LRANGE", "cr:l", "0", "-1"), "LRANGE", mixed);
                        reads.incrementAndGet();
                    }
                }
            }));
        }
        threads.get(0).join();
        threads.get(1).join();
        done.set(true);
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(null, mixed.get());
        assertTrue(reads.get() > 100, "readers checked only " + reads.get() + " rounds");
    }

    /** Records the reply if its values (every second element for HGETALL) are not all the same. */
    private static void check(String reply, String what, AtomicReference<String> mixed) {
        RespValue v = RespValue.parse(reply);
        Set<String> values = new HashSet<>();
        List<RespValue> items = v.elements();
        boolean pairs = what.equals("HGETALL");
        for (int i = pairs ? 1 : 0; i < items.size(); i += pairs ? 2 : 1) {
            values.add(items.get(i).text());
        }
        if (values.size() != 1 || items.size() != (pairs ? 6 : 3)) {
            mixed.compareAndSet(null, what + " saw " + reply.replace("\r\n", " "));
        }
    }
}
