package dev.basalt.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basalt.testutil.BlockedClients;
import dev.basalt.testutil.RawClient;
import dev.basalt.testutil.RespValue;
import dev.basalt.testutil.SharedServer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.params.SortingParams;

/** SORT and SORT_RO over a real server: exact replies and errors, STORE, expiry, WATCH, blocking, isolation. */
class SortCommandsTest {
    private static final String NOT_DOUBLE = "-ERR One or more scores can't be converted into double\r\n";
    private static final String SYNTAX = "-ERR syntax error\r\n";
    private static final String NOT_INTEGER = "-ERR value is not an integer or out of range\r\n";
    private static final String WRONGTYPE = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";

    @RegisterExtension
    static final SharedServer server = new SharedServer();

    private static Jedis jedis() {
        return new Jedis("127.0.0.1", server.port());
    }

    /** A RESP2 array of bulk strings; null items are null bulks. */
    private static String arr(String... items) {
        StringBuilder sb = new StringBuilder("*").append(items.length).append("\r\n");
        for (String s : items) {
            if (s == null) {
                sb.append("$-1\r\n");
            } else {
                sb.append('$').append(s.length()).append("\r\n").append(s).append("\r\n");
            }
        }
        return sb.toString();
    }

    @Test
    void listsSortNumericallyAlphabeticallyAndWithLimit() {
        try (RawClient c = server.raw()) {
            c.call("RPUSH", "l:a", "3", "1", "2", "10", "-1.5");
            assertEquals(arr("-1.5", "1", "2", "3", "10"), c.call("SORT", "l:a"));
            assertEquals(arr("10", "3", "2", "1", "-1.5"), c.call("SORT", "l:a", "DESC"));
            assertEquals(arr("-1.5", "1", "10", "2", "3"), c.call("SORT", "l:a", "ALPHA"));
            assertEquals(arr("2", "3"), c.call("SORT", "l:a", "LIMIT", "2", "2"));
            assertEquals(arr("2", "1"), c.call("SORT", "l:a", "DESC", "LIMIT", "2", "2"));
            assertEquals(arr("1", "2", "3", "10"), c.call("SORT", "l:a", "LIMIT", "1", "-1"));
            assertEquals(arr("-1.5", "1"), c.call("SORT", "l:a", "LIMIT", "-7", "2"));
            assertEquals(arr(), c.call("SORT", "l:a", "LIMIT", "5", "1"));
            assertEquals(arr(), c.call("SORT", "l:a", "LIMIT", "0", "0"));
            assertEquals(arr("3", "1", "2", "10", "-1.5"), c.call("SORT", "l:a", "BY", "nosort"));
            assertEquals(arr("-1.5", "10", "2", "1", "3"), c.call("SORT", "l:a", "BY", "nosort", "DESC"));
            assertEquals(arr("2", "10"), c.call("SORT", "l:a", "BY", "nosort", "LIMIT", "2", "2"));
            assertEquals(arr("2", "1"), c.call("SORT", "l:a", "BY", "nosort", "LIMIT", "2", "2", "DESC"));
            assertEquals(arr("1", "2", "3", "10"), c.call("SORT_RO", "l:a", "LIMIT", "1", "9223372036854775807"));
            assertEquals(arr(), c.call("SORT", "l:none"));
            assertEquals(":0\r\n", c.call("SORT", "l:none", "STORE", "l:dst"));
        }
    }

    @Test
    void setsAndSortedSets() {
        try (RawClient c = server.raw()) {
            c.call("SADD", "ss:s", "10", "9", "b0", "a");
            assertEquals(NOT_DOUBLE, c.call("SORT", "ss:s"));
            assertEquals(arr("10", "9", "a", "b0"), c.call("SORT", "ss:s", "ALPHA"));
            // BY nosort with STORE sorts a set (ALPHA) so that what is stored does not depend on set order.
            assertEquals(":4\r\n", c.call("SORT", "ss:s", "BY", "nosort", "DESC", "STORE", "ss:d"));
            assertEquals(arr("b0", "a", "9", "10"), c.call("LRANGE", "ss:d", "0", "-1"));
            // Without STORE the set's own order is kept (Basalt: member byte order; Redis: hash order).
            assertEquals(4, RespValue.parse(c.call("SORT", "ss:s", "BY", "nosort")).elements().size());

            c.call("ZADD", "ss:z", "3", "c", "1", "x", "2", "b");
            assertEquals(arr("x", "b", "c"), c.call("SORT", "ss:z", "BY", "nosort"));
            assertEquals(arr("c", "b", "x"), c.call("SORT", "ss:z", "BY", "nosort", "DESC"));
            assertEquals(arr("b"), c.call("SORT", "ss:z", "BY", "nosort", "LIMIT", "1", "1"));
            assertEquals(arr("c"), c.call("SORT", "ss:z", "BY", "nosort", "LIMIT", "2", "5"));
            assertEquals(arr("b", "x"), c.call("SORT", "ss:z", "BY", "nosort", "DESC", "LIMIT", "1", "5"));
            assertEquals(arr("b", "c", "x"), c.call("SORT", "ss:z", "ALPHA"));
            assertEquals(NOT_DOUBLE, c.call("SORT", "ss:z"));
        }
    }

    @Test
    void byAndGetPatterns() {
        try (RawClient c = server.raw()) {
            c.call("RPUSH", "p:l", "1", "2", "3");
            c.call("MSET", "p:w_1", "30", "p:w_2", "10", "p:o_1", "one", "p:o_3", "three");
            c.call("HSET", "p:h_2", "f", "two", "a->b", "arrow");
            c.call("HSET", "p:h_3", "f", "x");
            // w_3 is missing: it sorts as 0.
            assertEquals(arr("3", "2", "1"), c.call("SORT", "p:l", "BY", "p:w_*"));
            assertEquals(arr("1", "one", "1", "2", null, "2", "3", "three", "3"),
                    c.call("SORT", "p:l", "BY", "p:w_*", "DESC", "GET", "#", "GET", "p:o_*", "GET", "#"));
            assertEquals(arr(null, "two", "x"), c.call("SORT", "p:l", "GET", "p:h_*->f"));
            assertEquals(arr(null, "arrow", null), c.call("SORT", "p:l", "GET", "p:h_*->a->b"));
            // "->" with nothing after is part of the key name; a string key read as a hash is null.
            assertEquals(arr(null, null, null), c.call("SORT", "p:l", "GET", "p:h_*->"));
            assertEquals(arr(null, null, null), c.call("SORT", "p:l", "GET", "p:o_*->f"));
            // A pattern without '*' names no key.
            assertEquals(arr(null, null, null), c.call("SORT", "p:l", "GET", "p:o_1"));
            // BY a hash field, ALPHA: the missing one first.
            assertEquals(arr("1", "2", "3"), c.call("SORT", "p:l", "BY", "p:h_*->f", "ALPHA"));
            assertEquals(arr("3", "2", "1"), c.call("SORT", "p:l", "BY", "p:h_*->f", "ALPHA", "DESC"));
            assertEquals(NOT_DOUBLE, c.call("SORT", "p:l", "BY", "p:h_*->f"));
            // BY without '*' keeps the list order, whatever BY follows.
            assertEquals(arr("1", "2", "3"), c.call("SORT", "p:l", "BY", "nosort", "BY", "p:w_*"));

            c.call("HELLO", "3");
            assertEquals("*2\r\n$3\r\none\r\n_\r\n", c.call("SORT", "p:l", "GET", "p:o_*", "LIMIT", "0", "2"));
            c.call("HELLO", "2");
        }
    }

    @Test
    void storeWritesAList() {
        try (RawClient c = server.raw(); Jedis j = jedis()) {
            c.call("RPUSH", "st:l", "b", "c", "a");
            c.call("SET", "st:d", "old", "EX", "100");
            assertEquals(":3\r\n", c.call("SORT", "st:l", "ALPHA", "STORE", "st:d"));
            assertEquals("list", j.type("st:d"));
            assertEquals(-1, j.ttl("st:d"));
            assertEquals(List.of("a", "b", "c"), j.lrange("st:d", 0, -1));
            // GET values that are missing are stored as empty strings.
            assertEquals(":6\r\n", c.call("SORT", "st:l", "ALPHA", "GET", "#", "GET", "st:none_*", "STORE", "st:d"));
            assertEquals(List.of("a", "", "b", "", "c", ""), j.lrange("st:d", 0, -1));
            // An empty result deletes the destination.
            assertEquals(":0\r\n", c.call("SORT", "st:l", "ALPHA", "LIMIT", "9", "1", "STORE", "st:d"));
            assertEquals(0, j.exists("st:d") ? 1 : 0);
            // Sorting a list into itself.
            assertEquals(":3\r\n", c.call("SORT", "st:l", "ALPHA", "DESC", "STORE", "st:l"));
            assertEquals(List.of("c", "b", "a"), j.lrange("st:l", 0, -1));
            assertEquals(3, j.llen("st:l"));
        }
    }

    @Test
    void errorsInRedisOrder() {
        try (RawClient c = server.raw()) {
            c.call("RPUSH", "e:l", "1");
            c.call("SET", "e:s", "x");
            assertEquals("-ERR wrong number of arguments for 'sort' command\r\n", c.call("SORT"));
            assertEquals("-ERR wrong number of arguments for 'sort_ro' command\r\n", c.call("SORT_RO"));
            assertEquals(WRONGTYPE, c.call("SORT", "e:s"));
            assertEquals(SYNTAX, c.call("SORT", "e:s", "FOO"));
            assertEquals(NOT_INTEGER, c.call("SORT", "e:s", "LIMIT", "x", "1"));
            assertEquals(SYNTAX, c.call("SORT", "e:l", "LIMIT", "1"));
            assertEquals(NOT_INTEGER, c.call("SORT", "e:l", "LIMIT", "1", "1.0"));
            assertEquals(NOT_INTEGER, c.call("SORT", "e:l", "LIMIT", "a", "b", "FOO"));
            assertEquals(SYNTAX, c.call("SORT", "e:l", "FOO", "LIMIT", "a", "b"));
            assertEquals(SYNTAX, c.call("SORT", "e:l", "STORE"));
            assertEquals(SYNTAX, c.call("SORT", "e:l", "BY"));
            assertEquals(SYNTAX, c.call("SORT", "e:l", "GET"));
            assertEquals(SYNTAX, c.call("SORT_RO", "e:l", "STORE", "e:d"));
            assertEquals(":0\r\n", c.call("EXISTS", "e:d"));
            c.call("RPUSH", "e:n", "1", "abc");
            assertEquals(NOT_DOUBLE, c.call("SORT", "e:n"));
            assertEquals(NOT_DOUBLE, c.call("SORT", "e:n", "STORE", "e:d"));
            assertEquals(":0\r\n", c.call("EXISTS", "e:d"));
            c.call("RPUSH", "e:t", "1", "1e-310");
            assertEquals(NOT_DOUBLE, c.call("SORT", "e:t"));
            c.call("RPUSH", "e:u", "1", "0x1p-1070", "");
            assertEquals(arr("", "0x1p-1070", "1"), c.call("SORT", "e:u"));
        }
    }

    @Test
    void expiredKeysAreMissing() throws Exception {
        try (RawClient c = server.raw()) {
            c.call("RPUSH", "x:l", "1", "2");
            c.call("SET", "x:w_1", "5", "PX", "1");
            c.call("SET", "x:w_2", "3");
            c.call("RPUSH", "x:gone", "1");
            c.call("PEXPIRE", "x:gone", "1");
            Thread.sleep(20);
            // w_1 expired: it sorts as 0.
            assertEquals(arr("1", "2"), c.call("SORT", "x:l", "BY", "x:w_*"));
            assertEquals(arr(null, "3"), c.call("SORT", "x:l", "GET", "x:w_*"));
            assertEquals(arr(), c.call("SORT", "x:gone"));
        }
    }

    @Test
    void storeTouchesWatchersAndWakesBlockedPops() throws Exception {
        try (Jedis j = jedis(); Jedis other = jedis(); Jedis blocked = jedis()) {
            j.rpush("w:l", "2", "1", "3");
            j.watch("w:d");
            other.sort("w:l", "w:d");
            Transaction t = j.multi();
            t.get("w:x");
            assertNull(t.exec());

            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                Future<List<String>> popped = pool.submit(() -> blocked.blpop(10, "w:q"));
                try (RawClient observer = server.raw()) {
                    BlockedClients.await(observer, 1);
                }
                assertEquals(3, other.sort("w:l", "w:q"));
                assertEquals(List.of("w:q", "1"), popped.get(10, TimeUnit.SECONDS));
                assertEquals(List.of("2", "3"), other.lrange("w:q", 0, -1));
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void largeInputsMatchAJavaSort() {
        Random rnd = new Random(42);
        List<String> values = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            values.add(Integer.toString(rnd.nextInt(1_000_000) - 500_000));
        }
        try (Jedis j = jedis()) {
            j.rpush("big:l", values.toArray(new String[0]));
            List<String> numeric = new ArrayList<>(values);
            numeric.sort(Comparator.comparingLong((String v) -> Long.parseLong(v)).thenComparing(Comparator.naturalOrder()));
            assertEquals(numeric, j.sort("big:l"));
            assertEquals(numeric.subList(100, 150), j.sort("big:l", new SortingParams().limit(100, 50)));
            List<String> alpha = new ArrayList<>(values);
            alpha.sort(Comparator.naturalOrder());
            assertEquals(alpha.reversed(), j.sort("big:l", new SortingParams().alpha().desc()));
            assertEquals(values.subList(2990, 3000), j.sort("big:l", new SortingParams().nosort().limit(2990, 10)));
            assertEquals(values.subList(0, 5).reversed(),
                    j.sort("big:l", new SortingParams().nosort().desc().limit(2995, 10)));
            assertEquals(3000, j.sort("big:l", new SortingParams().desc(), "big:d"));
            assertEquals(numeric.reversed(), j.lrange("big:d", 0, -1));
        }
    }

    /**
     * BY/GET read keys that SORT cannot lock by name; SORT runs alone (KEYSPACE), so it never sees half
     * of a transaction: every MULTI/EXEC below writes weights and labels that agree, SORT must always
     * return one consistent state.
     */
    @Test
    void patternReadsSeeWholeTransactions() throws Exception {
        try (Jedis setup = jedis()) {
            setup.rpush("iso:l", "1", "2", "3", "4");
            setup.mset("iso:w_1", "1", "iso:w_2", "2", "iso:w_3", "3", "iso:w_4", "4",
                    "iso:g_1", "up", "iso:g_2", "up", "iso:g_3", "up", "iso:g_4", "up");
        }
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> writer = pool.submit(() -> {
                int flips = 0;
                try (Jedis w = jedis()) {
                    while (!stop.get()) {
                        boolean up = flips % 2 == 1;
                        Transaction t = w.multi();
                        for (int i = 1; i <= 4; i++) {
                            t.set("iso:w_" + i, Integer.toString(up ? i : 10 - i));
                            t.set("iso:g_" + i, up ? "up" : "down");
                        }
                        t.exec();
                        flips++;
                    }
                }
                return flips;
            });
            List<String> up = List.of("1", "up", "2", "up", "3", "up", "4", "up");
            List<String> down = List.of("4", "down", "3", "down", "2", "down", "1", "down");
            try (Jedis r = jedis()) {
                for (int i = 0; i < 300; i++) {
                    List<String> got = r.sort("iso:l", new SortingParams().by("iso:w_*").get("#", "iso:g_*"));
                    assertTrue(got.equals(up) || got.equals(down), "inconsistent SORT: " + got);
                }
            }
            stop.set(true);
            assertTrue(writer.get(10, TimeUnit.SECONDS) > 0);
        } finally {
            stop.set(true);
            pool.shutdownNow();
        }
    }

    @Test
    void commandInfoAndKeys() {
        try (RawClient c = server.raw()) {
            List<RespValue> infos = RespValue.parse(c.call("COMMAND", "INFO", "sort", "sort_ro")).elements();
            assertCommand(infos.get(0), "sort", List.of("write", "movablekeys"));
            assertCommand(infos.get(1), "sort_ro", List.of("readonly", "movablekeys"));
            assertEquals(arr("k", "d"), c.call("COMMAND", "GETKEYS", "SORT", "k", "GET", "#", "STORE", "d"));
            // The STORE the handler honours: the last one, even when an earlier one names a keyword.
            assertEquals(arr("k", "d"), c.call("COMMAND", "GETKEYS", "SORT", "k", "STORE", "get", "STORE", "d"));
            assertEquals(arr("k"), c.call("COMMAND", "GETKEYS", "SORT", "k", "FOO"));
            assertEquals(arr("k"), c.call("COMMAND", "GETKEYS", "SORT_RO", "k", "STORE", "d"));
        }
    }

    /** Name, arity -2, the given flags, and first/last/step 1/1/1. */
    private static void assertCommand(RespValue info, String name, List<String> flags) {
        List<RespValue> e = info.elements();
        assertEquals(name, e.get(0).text());
        assertEquals(-2, e.get(1).asLong());
        assertEquals(flags, e.get(2).elements().stream().map(RespValue::text).toList());
        assertEquals(List.of(1L, 1L, 1L), List.of(e.get(3).asLong(), e.get(4).asLong(), e.get(5).asLong()));
    }
}
