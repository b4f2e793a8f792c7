package dev.basalt.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.basalt.protocol.ErrorReply;
import dev.basalt.testutil.RawClient;
import dev.basalt.testutil.SharedServer;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Kvrocks's sorted-integer commands over a real server, with the replies Kvrocks's cmd_sortedint.cc gives
 * (there is no redis-server to compare with): ids read as strtoull reads them, SIRANGE skipping its cursor
 * id, optional arguments only looked at where Kvrocks looks at them.
 */
class SortedIntCommandsTest {
    @RegisterExtension
    static final SharedServer server = new SharedServer();

    private static final String WRONGTYPE = "-" + ErrorReply.WRONGTYPE + "\r\n";
    private static final String NOT_INTEGER = "-ERR value is not an integer or out of range\r\n";

    private static String ids(long... ids) {
        StringBuilder sb = new StringBuilder("*" + ids.length + "\r\n");
        for (long id : ids) {
            String s = Long.toUnsignedString(id);
            sb.append('$').append(s.length()).append("\r\n").append(s).append("\r\n");
        }
        return sb.toString();
    }

    @Test
    void addRemoveCardAndExists() {
        try (RawClient c = server.raw()) {
            assertEquals(":4\r\n", c.call("SIADD", "si:a", "5", "3", "9", "1", "3"));
            assertEquals(":0\r\n", c.call("SIADD", "si:a", "5"));
            assertEquals(":2\r\n", c.call("SIADD", "si:a", " 7", "+8"));
            assertEquals(":1\r\n", c.call("SIADD", "si:a", "-1"), "strtoull reads -1 as 2^64-1");
            assertEquals(":0\r\n", c.call("SIADD", "si:a", "0000000000000000000000000000000000000001", "-0018446744073709551615"),
                    "leading zeros are fine, and -(2^64-1) is 1");
            assertEquals(":7\r\n", c.call("SICARD", "si:a"));
            assertEquals(":0\r\n", c.call("SICARD", "si:none"));
            assertEquals("*4\r\n:1\r\n:0\r\n:1\r\n:1\r\n", c.call("SIEXISTS", "si:a", "1", "2", "18446744073709551615", "7"));
            assertEquals("*2\r\n:0\r\n:0\r\n", c.call("SIEXISTS", "si:none", "1", "2"));
            assertEquals(":2\r\n", c.call("SIREM", "si:a", "5", "100", "3"));
            assertEquals(":0\r\n", c.call("SIREM", "si:none", "5"));
            assertEquals("+sortedint\r\n", c.call("TYPE", "si:a"));
            assertEquals(NOT_INTEGER, c.call("SIADD", "si:a", "1", "x"));
            assertEquals(NOT_INTEGER, c.call("SIADD", "si:a", "18446744073709551616"));
            assertEquals(NOT_INTEGER, c.call("SIADD", "si:a", ""));
            assertEquals(NOT_INTEGER, c.call("SIADD", "si:a", "1.5"));
            assertEquals(NOT_INTEGER, c.call("SIEXISTS", "si:a", "x"));
            assertEquals(":5\r\n", c.call("SICARD", "si:a"), "a refused SIADD adds nothing");
            assertEquals("-ERR wrong number of arguments for 'siadd' command\r\n", c.call("SIADD", "si:a"));
            c.call("SET", "si:str", "v");
            assertEquals(WRONGTYPE, c.call("SIADD", "si:str", "1"));
            assertEquals(WRONGTYPE, c.call("SICARD", "si:str"));
            assertEquals(WRONGTYPE, c.call("SIRANGE", "si:str", "0", "10"));
            assertEquals(WRONGTYPE, c.call("SCARD", "si:a"));
            assertEquals(":2\r\n", c.call("SIREM", "si:a", "1", "7"));
            assertEquals(":3\r\n", c.call("SIREM", "si:a", "8", "9", "-1"));
            assertEquals(":0\r\n", c.call("EXISTS", "si:a"), "the last id removed takes the key");
        }
    }

    @Test
    void rangesAndTheirArguments() {
        try (RawClient c = server.raw()) {
            c.call("SIADD", "si:r", "0", "1", "3", "5", "9", "18446744073709551615");
            assertEquals(ids(1, 3, 5, 9, -1), c.call("SIRANGE", "si:r", "0", "10"), "cursor 0 is skipped, id 0 too");
            assertEquals(ids(1, 3, 5, 9, -1), c.call("SIRANGE", "si:r", "0", "0"), "limit 0 means all");
            assertEquals(ids(5, 9), c.call("SIRANGE", "si:r", "2", "2"));
            assertEquals(ids(5, 9, -1), c.call("SIRANGE", "si:r", "0", "10", "CURSOR", "3"));
            assertEquals(ids(5, 9), c.call("SIRANGE", "si:r", "0", "2", "cursor", "4"));
            assertEquals(ids(-1, 9, 5, 3, 1), c.call("SIREVRANGE", "si:r", "0", "10"));
            assertEquals(ids(3, 1, 0), c.call("SIREVRANGE", "si:r", "0", "10", "CURSOR", "5"));
            assertEquals(ids(1, 3, 5, 9, -1), c.call("SIRANGE", "si:r", "0", "10", "ignored"), "five arguments: no cursor");
            assertEquals("-ERR syntax error\r\n", c.call("SIRANGE", "si:r", "0", "10", "FROM", "3"));
            assertEquals(NOT_INTEGER, c.call("SIRANGE", "si:r", "x", "10"));
            assertEquals(NOT_INTEGER, c.call("SIRANGE", "si:r", "0", "10", "CURSOR", "x"));
            assertEquals("*0\r\n", c.call("SIRANGE", "si:none", "0", "10"));

            assertEquals(ids(3, 5, 9), c.call("SIRANGEBYVALUE", "si:r", "2", "9"));
            assertEquals(ids(5), c.call("SIRANGEBYVALUE", "si:r", "(3", "(9"));
            assertEquals(ids(0, 1, 3, 5, 9, -1), c.call("SIRANGEBYVALUE", "si:r", "-inf", "+inf"));
            assertEquals(ids(1, 3), c.call("SIRANGEBYVALUE", "si:r", "-inf", "+inf", "LIMIT", "1", "2"));
            assertEquals(ids(-1, 9, 5), c.call("SIREVRANGEBYVALUE", "si:r", "+inf", "(3"));
            assertEquals(ids(9, 5), c.call("SIREVRANGEBYVALUE", "si:r", "9", "-inf", "limit", "0", "2"));
            assertEquals("*0\r\n", c.call("SIRANGEBYVALUE", "si:r", "9", "3"));
            assertEquals("-ERR min > max\r\n", c.call("SIRANGEBYVALUE", "si:r", "+inf", "3"));
            assertEquals("-ERR min > max\r\n", c.call("SIREVRANGEBYVALUE", "si:r", "-inf", "3"));
            assertEquals("-ERR the min isn't integer\r\n", c.call("SIRANGEBYVALUE", "si:r", "x", "3"));
            assertEquals("-ERR the max isn't integer\r\n", c.call("SIRANGEBYVALUE", "si:r", "1", "(x"));
            assertEquals("-ERR the min isn't integer\r\n", c.call("SIRANGEBYVALUE", "si:r", "-INF", "3"));
            assertEquals("-ERR syntax error\r\n", c.call("SIRANGEBYVALUE", "si:r", "1", "3", "SKIP", "0", "1"));
            assertEquals(NOT_INTEGER, c.call("SIRANGEBYVALUE", "si:r", "1", "3", "LIMIT", "0", "4294967296"));
            assertEquals("*0\r\n", c.call("SIRANGEBYVALUE", "si:none", "1", "3"));
            c.call("HELLO", "3");
            assertEquals(ids(1, 3), c.call("SIRANGE", "si:r", "0", "2"));
        }
    }

    /**
     * Thousands of random sorted-integer commands (fixed seed) on a few keys, each reply compared with what
     * a model of Kvrocks's semantics (an ordered set of unsigned ids) answers.
     */
    @Test
    void randomCommandsAgainstAModel() {
        Random r = new Random(77);
        String[] keys = {"sim:a", "sim:b", "sim:c"};
        List<NavigableSet<Long>> model = new ArrayList<>();
        for (int i = 0; i < keys.length; i++) {
            model.add(new TreeSet<>(Long::compareUnsigned));
        }
        try (RawClient c = server.raw()) {
            for (int n = 0; n < 4000; n++) {
                int k = r.nextInt(keys.length);
                String key = keys[k];
                NavigableSet<Long> set = model.get(k);
                switch (r.nextInt(8)) {
                    case 0, 1 -> {
                        long[] ids = randomIds(r);
                        long added = 0;
                        for (long id : ids) {
                            added += set.add(id) ? 1 : 0;
                        }
                        assertEquals(":" + added + "\r\n", c.call(withIds("SIADD", key, ids)));
                    }
                    case 2 -> {
                        long[] ids = randomIds(r);
                        long removed = 0;
                        for (long id : ids) {
                            removed += set.remove(id) ? 1 : 0;
                        }
                        assertEquals(":" + removed + "\r\n", c.call(withIds("SIREM", key, ids)));
                    }
                    case 3 -> assertEquals(":" + set.size() + "\r\n", c.call("SICARD", key));
                    case 4 -> {
                        long[] ids = randomIds(r);
                        StringBuilder expected = new StringBuilder("*" + ids.length + "\r\n");
                        for (long id : ids) {
                            expected.append(':').append(set.contains(id) ? 1 : 0).append("\r\n");
                        }
                        assertEquals(expected.toString(), c.call(withIds("SIEXISTS", key, ids)));
                    }
                    case 5, 6 -> {
                        boolean reverse = r.nextBoolean();
                        long cursor = r.nextInt(3) == 0 ? 0 : randomId(r);
                        int offset = r.nextInt(4);
                        int limit = r.nextInt(6);
                        long start = reverse && cursor == 0 ? -1L : cursor;
                        List<Long> expected = new ArrayList<>();
                        int skipped = 0;
                        for (long id : reverse ? set.headSet(start, true).descendingSet() : set.tailSet(start, true)) {
                            if (id == cursor || skipped++ < offset) {
                                continue;
                            }
                            expected.add(id);
                            if (limit != 0 && expected.size() >= limit) {
                                break;
                            }
                        }
                        assertEquals(ids(expected.stream().mapToLong(Long::longValue).toArray()), c.call(reverse ? "SIREVRANGE"
                                : "SIRANGE", key, Integer.toString(offset), Integer.toString(limit), "CURSOR",
                                Long.toUnsignedString(cursor)));
                    }
                    default -> {
                        long a = randomId(r);
                        long b = randomId(r);
                        long min = Long.compareUnsigned(a, b) <= 0 ? a : b;
                        long max = min == a ? b : a;
                        boolean minEx = r.nextBoolean();
                        boolean maxEx = r.nextBoolean();
                        int offset = r.nextInt(3);
                        int count = r.nextInt(5);
                        boolean reverse = r.nextBoolean();
                        List<Long> expected = new ArrayList<>();
                        int position = 0;
                        NavigableSet<Long> inRange = set.subSet(min, !minEx, max, !maxEx);
                        for (long id : reverse ? inRange.descendingSet() : inRange) {
                            if (position++ < offset) {
                                continue;
                            }
                            expected.add(id);
                            if (count > 0 && expected.size() >= count) {
                                break;
                            }
                        }
                        String lo = (minEx ? "(" : "") + Long.toUnsignedString(min);
                        String hi = (maxEx ? "(" : "") + Long.toUnsignedString(max);
                        assertEquals(ids(expected.stream().mapToLong(Long::longValue).toArray()),
                                c.call(reverse ? "SIREVRANGEBYVALUE" : "SIRANGEBYVALUE", key, reverse ? hi : lo,
                                        reverse ? lo : hi, "LIMIT", Integer.toString(offset), Integer.toString(count)));
                    }
                }
            }
        }
    }

    /** Small ids mostly, so that adds and removes meet; sometimes huge unsigned ones. */
    private static long randomId(Random r) {
        return r.nextInt(10) == 0 ? -1L - r.nextInt(50) : r.nextInt(200);
    }

    private static long[] randomIds(Random r) {
        long[] ids = new long[1 + r.nextInt(6)];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = randomId(r);
        }
        return ids;
    }

    private static String[] withIds(String command, String key, long[] ids) {
        String[] args = new String[ids.length + 2];
        args[0] = command;
        args[1] = key;
        for (int i = 0; i < ids.length; i++) {
            args[i + 2] = Long.toUnsignedString(ids[i]);
        }
        return args;
    }
}
