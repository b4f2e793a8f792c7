package dev.basalt.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.basalt.testutil.Conformance;
import dev.basalt.testutil.RawClient;
import dev.basalt.testutil.RespValue;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Runs the same hash-command scripts against a real redis-server and against Basalt and compares the
 * replies byte for byte. Redis keeps hash fields in a hash table, so the order of HGETALL, HKEYS,
 * HVALS and whole-hash HSCAN/HRANDFIELD replies is unspecified: those steps compare the reply's type
 * and length exactly and its elements (or field/value pairs) as sorted lists.
 */
class HashConformanceTest {
    @RegisterExtension
    static final Conformance servers = new Conformance();

    /** How a step's replies are compared. */
    private enum Order {
        EXACT,
        /** Elements as a multiset (HKEYS, HVALS). */
        ANY,
        /** Field/value pairs as a multiset (HGETALL; HRANDFIELD ... WITHVALUES returning everything). */
        PAIRS,
        /** HSCAN returning the whole small hash in one reply: cursor exact, pairs as a multiset. */
        SCAN
    }

    private record Step(Order order, String[] cmd) {
    }

    private static Step c(String... cmd) {
        return new Step(Order.EXACT, cmd);
    }

    private static Step any(String... cmd) {
        return new Step(Order.ANY, cmd);
    }

    private static Step pairs(String... cmd) {
        return new Step(Order.PAIRS, cmd);
    }

    private static Step scan(String... cmd) {
        return new Step(Order.SCAN, cmd);
    }

    /** Sends every step to both servers on fresh connections and compares the replies. */
    private static void compare(List<Step> script) {
        try (RawClient r = servers.redis(); RawClient b = servers.basalt()) {
            for (Step step : script) {
                String expected = r.call(step.cmd());
                String actual = b.call(step.cmd());
                if (step.cmd()[0].equalsIgnoreCase("HELLO")) {
                    continue; // server identification differs by design
                }
                String what = String.join(" ", step.cmd());
                switch (step.order()) {
                    case EXACT -> assertEquals(expected, actual, what);
                    case ANY -> assertEquals(canonical(expected, 1), canonical(actual, 1), what);
                    case PAIRS -> assertEquals(canonical(expected, 2), canonical(actual, 2), what);
                    case SCAN -> {
                        RespValue e = RespValue.parse(expected);
                        RespValue a = RespValue.parse(actual);
                        assertEquals(e.elements().get(0), a.elements().get(0), what + " (cursor)");
                        assertEquals(canonical(e.elements().get(1), 2), canonical(a.elements().get(1), 2), what);
                    }
                    default -> throw new IllegalStateException();
                }
            }
        }
    }

    private static String canonical(String reply, int group) {
        return canonical(RespValue.parse(reply), group);
    }

    /** Type, length and the elements in groups of {@code group} (pairs stay together), sorted. */
    private static String canonical(RespValue v, int group) {
        if (v.elements() == null) {
            return v.toString();
        }
        List<String> parts = new ArrayList<>();
        List<RespValue> items = v.elements();
        for (int i = 0; i < items.size(); i += group) {
            parts.add(items.subList(i, Math.min(items.size(), i + group)).toString());
        }
        parts.sort(null);
        return v.type() + "" + items.size() + parts;
    }

    @Test
    void setGetDelete() {
        compare(List.of(
                c("HSET", "c1", "a", "1", "b", "2"), c("HSET", "c1", "a", "x", "c", "3"), c("HSET", "c1", "d", "1", "d", "2"),
                c("HGET", "c1", "a"), c("HGET", "c1", "d"), c("HGET", "c1", "zz"), c("HGET", "nokey", "a"),
                c("HSET", "c1", "", ""), c("HGET", "c1", ""), c("HLEN", "c1"), c("HLEN", "nokey"),
                c("HSET", "c1", "a"), c("HSET", "c1", "a", "1", "b"), c("HSET", "c1"), c("HMSET", "c1", "a"),
                c("HMSET", "c1", "x", "1", "y", "2"), c("HMSET", "c1", "x", "1", "y"),
                c("HSETNX", "c1", "x", "9"), c("HSETNX", "c1", "z", "9"), c("HSETNX", "c1b", "z", "9"), c("HSETNX", "c1", "z"),
                c("HMGET", "c1", "a", "zz", "x", "a"), c("HMGET", "nokey", "a", "b"), c("HMGET", "c1"),
                c("HSTRLEN", "c1", "a"), c("HSTRLEN", "c1", ""), c("HSTRLEN", "c1", "zz"), c("HSTRLEN", "nokey", "a"),
                c("HEXISTS", "c1", "a"), c("HEXISTS", "c1", "zz"), c("HEXISTS", "nokey", "a"), c("HEXISTS", "c1"),
                any("HKEYS", "c1"), any("HVALS", "c1"), pairs("HGETALL", "c1"),
                c("HKEYS", "nokey"), c("HVALS", "nokey"), c("HGETALL", "nokey"),
                c("HDEL", "c1", "a", "a", "b", "zz"), c("HDEL", "nokey", "a"), c("HDEL", "c1"), c("HLEN", "c1"),
                c("HDEL", "c1", "c", "d", "", "x", "y", "z"), c("HLEN", "c1"), c("HGETALL", "c1"), c("HGET", "c1", "c"),
                c("HSET", "c1", "again", "1"), pairs("HGETALL", "c1"),
                c("hset", "c2", "F", "v"), c("HGET", "c2", "f"), c("HGET", "c2", "F"),
                c("HELLO", "3"), pairs("HGETALL", "c1"), c("HGETALL", "nokey"), c("HMGET", "c1", "again", "zz"),
                c("HGET", "c1", "zz"), any("HKEYS", "c1"), c("HELLO", "2")));
    }

    @Test
    void increments() {
        compare(List.of(
                c("HINCRBY", "i1", "n", "5"), c("HINCRBY", "i1", "n", "-10"), c("HGET", "i1", "n"),
                c("HINCRBY", "i1", "n", "x"), c("HINCRBY", "i1", "n", "1.5"), c("HINCRBY", "i1", "n", "+1"),
                c("HINCRBY", "i1", "n", "01"), c("HINCRBY", "i1", "n", " 1"), c("HINCRBY", "i1", "n", ""),
                c("HINCRBY", "i1", "n", "9223372036854775808"),
                c("HSET", "i1", "text", "abc", "lead", "07", "max", "9223372036854775807", "min", "-9223372036854775808"),
                c("HINCRBY", "i1", "text", "1"), c("HINCRBY", "i1", "lead", "1"), c("HINCRBY", "i1", "max", "1"),
                c("HINCRBY", "i1", "min", "-1"), c("HINCRBY", "i1", "max", "-1"), c("HINCRBY", "i1", "min", "0"),
                c("HINCRBYFLOAT", "f1", "f", "10.5"), c("HINCRBYFLOAT", "f1", "f", "0.1"), c("HINCRBYFLOAT", "f1", "f", "-5"),
                c("HINCRBYFLOAT", "f1", "g", "0.1"), c("HINCRBYFLOAT", "f1", "g", "0.2"),
                c("HINCRBYFLOAT", "f1", "t", "1e20"), c("HINCRBYFLOAT", "f1", "t", "0.1"),
                c("HINCRBYFLOAT", "f1", "h", "0x10"), c("HINCRBYFLOAT", "f1", "h", "0x1p-2"), c("HINCRBYFLOAT", "f1", "h", "-16.25"),
                c("HINCRBYFLOAT", "f1", "r", "0.000003814697265625"), c("HINCRBYFLOAT", "f1", "r", "1e-17"),
                c("HINCRBYFLOAT", "f1", "s", "1.7976931348623157e308"), c("HINCRBYFLOAT", "f1", "s", "1.7976931348623157e308"),
                c("HINCRBYFLOAT", "f1", "u", "3.0000000000000000001"), c("HINCRBYFLOAT", "f1", "v", "-0.0"),
                c("HINCRBYFLOAT", "f1", "w", ".5"), c("HINCRBYFLOAT", "f1", "w", "5."), c("HINCRBYFLOAT", "f1", "w", "1E+2"),
                c("HINCRBYFLOAT", "f1", "x", "1e-4940"), c("HINCRBYFLOAT", "f1", "x", "1e300"),
                c("HINCRBYFLOAT", "f1", "f", "x"), c("HINCRBYFLOAT", "f1", "f", ""), c("HINCRBYFLOAT", "f1", "f", " 1"),
                c("HINCRBYFLOAT", "f1", "f", "1 "), c("HINCRBYFLOAT", "f1", "f", "."), c("HINCRBYFLOAT", "f1", "f", "1e"),
                c("HINCRBYFLOAT", "f1", "f", "nan"), c("HINCRBYFLOAT", "f1", "f", "1e5000"), c("HINCRBYFLOAT", "f1", "f", "1e-5000"),
                c("HINCRBYFLOAT", "f1", "f", "inf"), c("HINCRBYFLOAT", "f1", "f", "-infinity"),
                c("HSET", "f1", "bad", "1 ", "inf", "inf", "big", "1e4932", "int", "17"),
                c("HINCRBYFLOAT", "f1", "bad", "1"), c("HINCRBYFLOAT", "f1", "inf", "1"), c("HINCRBYFLOAT", "f1", "big", "1e4932"),
                c("HINCRBYFLOAT", "f1", "big", "-1e4932"), c("HINCRBYFLOAT", "f1", "int", "0.5"),
                c("HINCRBYFLOAT", "f1", "int", "1", "2"), c("HINCRBY", "f1", "int"),
                c("HELLO", "3"), c("HINCRBYFLOAT", "f1", "int", "0.5"), c("HINCRBY", "i1", "n", "1"), c("HELLO", "2")));
    }

    @Test
    void randomFields() {
        compare(List.of(
                c("HSET", "r1", "a", "1", "b", "2", "c", "3"), c("HSET", "r2", "only", "v"),
                c("HRANDFIELD", "nokey"), c("HRANDFIELD", "r2"), c("HRANDFIELD", "nokey", "3"),
                c("HRANDFIELD", "nokey", "-3", "WITHVALUES"), c("HRANDFIELD", "r1", "0"), c("HRANDFIELD", "r1", "0", "WITHVALUES"),
                any("HRANDFIELD", "r1", "3"), any("HRANDFIELD", "r1", "100"), pairs("HRANDFIELD", "r1", "3", "WITHVALUES"),
                c("HRANDFIELD", "r2", "-3"), c("HRANDFIELD", "r2", "-2", "withvalues"), c("HRANDFIELD", "r2", "1", "WITHVALUES"),
                c("HRANDFIELD", "r1", "x"), c("HRANDFIELD", "nokey", "1.5"), c("HRANDFIELD", "r1", "-9223372036854775808"),
                c("HRANDFIELD", "r1", "1", "WITHVALUE"), c("HRANDFIELD", "r1", "1", "WITHVALUES", "x"),
                c("HRANDFIELD", "nokey", "1", "foo"), c("HRANDFIELD", "r1", "4611686018427387904", "WITHVALUES"),
                c("HRANDFIELD", "r1", "-4611686018427387904", "WITHVALUES"),
                pairs("HRANDFIELD", "r1", "4611686018427387903", "WITHVALUES"),
                c("HELLO", "3"), c("HRANDFIELD", "nokey"), c("HRANDFIELD", "r2", "-2", "WITHVALUES"),
                any("HRANDFIELD", "r1", "5", "WITHVALUES"), c("HRANDFIELD", "nokey", "2", "WITHVALUES"), c("HELLO", "2")));
    }

    @Test
    void scans() {
        compare(List.of(
                c("HSET", "s1", "a", "1", "b", "2", "ab", "3"),
                scan("HSCAN", "s1", "0"), scan("HSCAN", "s1", "0", "MATCH", "a*"), scan("HSCAN", "s1", "0", "MATCH", "*"),
                scan("HSCAN", "s1", "0", "match", "z*", "COUNT", "100"), scan("HSCAN", "s1", "0", "MATCH", "*", "MATCH", "b"),
                c("HSCAN", "nokey", "0"), c("HSCAN", "nokey", "0", "COUNT", "0"), c("HSCAN", "nokey", "x"),
                c("HSCAN", "s1", "x"), c("HSCAN", "s1", "0", "COUNT", "0"), c("HSCAN", "s1", "0", "COUNT", "-1"),
                c("HSCAN", "s1", "0", "COUNT", "x"), c("HSCAN", "s1", "0", "MATCH"), c("HSCAN", "s1", "0", "TYPE", "string"),
                c("HSCAN", "s1", "0", "NOVALUES"), c("HSCAN", "s1", "0", "COUNT"),
                c("HELLO", "3"), scan("HSCAN", "s1", "0"), c("HSCAN", "nokey", "0"), c("HELLO", "2")));
    }

    @Test
    void wrongTypes() {
        compare(List.of(
                c("SET", "str", "v"),
                c("HSET", "str", "a", "1"), c("HMSET", "str", "a", "1"), c("HSETNX", "str", "a", "1"), c("HGET", "str", "a"),
                c("HMGET", "str", "a"), c("HDEL", "str", "a"), c("HLEN", "str"), c("HSTRLEN", "str", "a"),
                c("HEXISTS", "str", "a"), c("HKEYS", "str"), c("HVALS", "str"), c("HGETALL", "str"),
                c("HINCRBY", "str", "a", "1"), c("HINCRBY", "str", "a", "x"), c("HINCRBYFLOAT", "str", "a", "1"),
                c("HINCRBYFLOAT", "str", "a", "x"), c("HINCRBYFLOAT", "str", "a", "inf"), c("HRANDFIELD", "str"),
                c("HRANDFIELD", "str", "0"), c("HRANDFIELD", "str", "x"), c("HRANDFIELD", "str", "1", "foo"),
                c("HSCAN", "str", "0"), c("HSCAN", "str", "x"), c("HSCAN", "str", "0", "COUNT", "0"),
                c("HSET", "str", "a"), c("GET", "str"),
                c("HSET", "hh", "a", "1"), c("GET", "hh"), c("APPEND", "hh", "x"), c("INCR", "hh"), c("STRLEN", "hh"),
                c("SET", "hh", "now a string"), c("GET", "hh"), c("HGET", "hh", "a")));
    }

    @Test
    void transactions() {
        compare(List.of(
                c("MULTI"), c("HSET", "t1", "n", "1", "t", "text"), c("HINCRBY", "t1", "n", "41"), c("HINCRBY", "t1", "t", "1"),
                c("HDEL", "t1", "t"), c("HGETALL", "t1"), c("EXEC"),
                c("MULTI"), c("HDEL", "t1", "n"), c("HSET", "t1", "fresh", "1"), c("HKEYS", "t1"), c("EXEC"),
                c("MULTI"), c("HSET", "t1", "odd"), c("HGET", "t1", "fresh"), c("EXEC"), c("HGETALL", "t1")));
    }
}
