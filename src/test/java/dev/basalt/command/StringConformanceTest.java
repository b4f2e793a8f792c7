package dev.basalt.command;

import dev.basalt.testutil.Conformance;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Runs the same string-command scripts against a real redis-server and against Basalt and compares
 * every reply byte for byte. Scripts avoid replies that depend on the clock (TTL values) and on
 * commands of other types.
 */
class StringConformanceTest {
    @RegisterExtension
    static final Conformance servers = new Conformance(Map.of("proto-max-bulk-len", "1048576"), "--proto-max-bulk-len", "1048576");

    private static String[] c(String... args) {
        return args;
    }

    @Test
    void setFamily() {
        servers.compare(List.of(
                c("SET", "s1", "v"), c("GET", "s1"), c("SET", "s1", "v", "NX"), c("SET", "s1", "w", "XX"),
                c("SET", "s1", "x", "GET"), c("SET", "s1", "y", "NX", "GET"), c("SET", "s2", "y", "XX", "GET"),
                c("SET", "s2", "y", "GET", "NX"), c("GET", "s2"),
                c("SET", "s1", "v", "NX", "XX"), c("SET", "s1", "v", "XX", "NX"), c("SET", "s1", "v", "EX", "1", "PX", "1"),
                c("SET", "s1", "v", "EX", "10", "KEEPTTL"), c("SET", "s1", "v", "KEEPTTL", "PXAT", "1"),
                c("SET", "s1", "v", "EX"), c("SET", "s1", "v", "FOO"), c("SET", "s1", "v", "PERSIST"),
                c("SET", "s1", "v", "EX", "0"), c("SET", "s1", "v", "EX", "-1"), c("SET", "s1", "v", "PX", "0"),
                c("SET", "s1", "v", "EXAT", "0"), c("SET", "s1", "v", "PXAT", "-1"), c("SET", "s1", "v", "EX", "abc"),
                c("SET", "s1", "v", "EX", "1.5"), c("SET", "s1", "v", "EX", "9223372036854775807"),
                c("SET", "s1", "v", "EX", "9223372036854775"), c("SET", "s1", "v", "PX", "9223372036854775807"),
                c("SET", "s1", "v", "EX", "0", "GET"), c("SET", "s1", "v", "EX", "100", "EX", "200"),
                c("SET", "s1", "v", "KEEPTTL", "KEEPTTL"), c("SET", "s1", "v", "GET", "GET"),
                c("SET", "s1", "v", "PXAT", "1"), c("GET", "s1"), c("SET", "s1", "v", "EXAT", "1", "GET"),
                c("SET", "s1", "v"), c("SET", "s1", "w", "PXAT", "1", "GET"), c("GET", "s1"),
                c("SET", "s1", "v", "PXAT", "9223372036854775807"), c("GET", "s1"),
                c("set", "s3", "v", "ex", "100", "nx", "get"), c("SeT", "s3", "w", "Px", "100000", "xX"),
                c("SET"), c("SET", "s1"),
                c("SETNX", "n1", "1"), c("SETNX", "n1", "2"), c("GET", "n1"),
                c("SETEX", "e1", "100", "v"), c("SETEX", "e1", "0", "v"), c("SETEX", "e1", "-1", "v"),
                c("SETEX", "e1", "x", "v"), c("SETEX", "e1", "9223372036854775", "v"), c("SETEX", "e1", "1"),
                c("PSETEX", "e1", "100000", "w"), c("PSETEX", "e1", "0", "w"),
                c("PSETEX", "e1", "9223372036854775807", "w"), c("GET", "e1"),
                c("MSET", "m1", "1", "m2", "2", "m1", "3"), c("MGET", "m1", "m2", "m3"), c("MSET", "m1", "1", "m2"),
                c("MSETNX", "m3", "1", "m1", "x"), c("MSETNX", "m3", "1", "m4", "2", "m3", "5"), c("MGET", "m3", "m4"),
                c("MSETNX", "m1"), c("MGET"),
                c("GETSET", "g1", "a"), c("GETSET", "g1", "b"), c("GETDEL", "g1"), c("GETDEL", "g1"), c("GET", "g1"),
                c("GETEX", "x1"), c("GETEX", "x1", "EX", "0"), c("GETEX", "x1", "FOO"), c("SET", "x1", "v"),
                c("GETEX", "x1", "EX", "0"), c("GETEX", "x1", "PX", "-5"), c("GETEX", "x1", "PX", "abc"),
                c("GETEX", "x1", "EX", "9223372036854775"), c("GETEX", "x1", "PERSIST", "EX", "10"),
                c("GETEX", "x1", "EX", "10", "PERSIST"), c("GETEX", "x1", "KEEPTTL"), c("GETEX", "x1", "NX"),
                c("GETEX", "x1", "GET"), c("GETEX", "x1", "EX", "10", "EX", "20"), c("GETEX", "x1", "PERSIST", "PERSIST"),
                c("GETEX", "x1", "PXAT", "99999999999999"), c("GETEX", "x1", "EXAT", "1"), c("GET", "x1"),
                c("HELLO", "3"), c("GET", "missing"), c("GETEX", "missing"), c("MGET", "missing", "m1"),
                c("SET", "missing", "v", "XX"), c("HELLO", "2")));
    }

    @Test
    void arithmeticAndRanges() {
        List<String[]> script = new ArrayList<>(List.of(
                c("INCR", "i1"), c("DECR", "i2"), c("INCRBY", "i1", "10"), c("DECRBY", "i1", "100"),
                c("INCRBY", "i1", "abc"), c("INCRBY", "i1", "92233720368547758070"), c("INCRBY", "i1", "0"),
                c("DECRBY", "i1", "-9223372036854775808"), c("SET", "i3", "9223372036854775807"), c("INCR", "i3"),
                c("SET", "i4", "-9223372036854775808"), c("DECR", "i4"), c("INCRBY", "i4", "-9223372036854775808"),
                c("INCRBY", "i3", "-9223372036854775808"), c("DECRBY", "i3", "9223372036854775807"),
                c("INCR", "i1", "x"), c("INCRBY", "i1")));
        for (String bad : new String[] {" 1", "+1", "01", "-0", "1 ", "", "1.0", "0x10", "1e3"}) {
            script.add(c("SET", "bad", bad));
            script.add(c("INCR", "bad"));
            script.add(c("INCRBYFLOAT", "bad", "1"));
            script.add(c("INCRBY", "i1", bad));
        }
        script.addAll(List.of(
                c("SET", "f", "10.50"), c("INCRBYFLOAT", "f", "0.1"), c("INCRBYFLOAT", "f", "-5"),
                c("SET", "f", "5.0e3"), c("INCRBYFLOAT", "f", "2.0e2"), c("INCRBYFLOAT", "f", "1e308"),
                c("INCRBYFLOAT", "f", "1e4000"), c("INCRBYFLOAT", "f", "1.19e4932"), c("SET", "f", "3"),
                c("INCRBYFLOAT", "f", "0x10"), c("INCRBYFLOAT", "f", "+1.5"), c("INCRBYFLOAT", "f", ".5"),
                c("INCRBYFLOAT", "f", "5."), c("INCRBYFLOAT", "f", "inf"), c("INCRBYFLOAT", "f", "-INFINITY"),
                c("INCRBYFLOAT", "f", "nan"), c("INCRBYFLOAT", "f", " 1"), c("INCRBYFLOAT", "f", "1 "),
                c("INCRBYFLOAT", "f", ""), c("INCRBYFLOAT", "f", "1e-5000"), c("INCRBYFLOAT", "f", "1e5000"),
                c("INCRBYFLOAT", "f", "0x1p-3"), c("INCRBYFLOAT", "f", "-26.125"), c("INCRBYFLOAT", "f", "-0.0"),
                c("INCRBYFLOAT", "f", "1e-4940"), c("INCRBYFLOAT", "fnew", "1.5"), c("SET", "f", "inf"),
                c("INCRBYFLOAT", "f", "1"), c("SET", "f", "1e-4950"), c("INCRBYFLOAT", "f", "1"),
                c("APPEND", "a1", "abc"), c("APPEND", "a1", "def"), c("APPEND", "a1", ""), c("STRLEN", "a1"),
                c("STRLEN", "nokey"), c("SET", "r", "Hello World"), c("GETRANGE", "r", "0", "3"),
                c("GETRANGE", "r", "-4", "-1"), c("GETRANGE", "r", "-2", "-5"), c("GETRANGE", "r", "-100", "-1"),
                c("GETRANGE", "r", "3", "1"), c("GETRANGE", "r", "3", "100"), c("GETRANGE", "r", "11", "11"),
                c("GETRANGE", "r", "5", "-100"), c("GETRANGE", "r", "-1", "-1"),
                c("GETRANGE", "r", "-9223372036854775808", "9223372036854775807"),
                c("GETRANGE", "r", "0", "9223372036854775808"), c("GETRANGE", "r", "a", "1"),
                c("GETRANGE", "nokey", "0", "-1"), c("SUBSTR", "r", "0", "1"), c("SUBSTR", "r", "-3", "-1"),
                c("SET", "empty", ""), c("GETRANGE", "empty", "0", "-1"), c("GETRANGE", "empty", "0", "0"),
                c("SETRANGE", "empty", "0", ""), c("STRLEN", "empty"),
                c("SETRANGE", "sr", "0", ""), c("GET", "sr"), c("SETRANGE", "sr", "3", "ab"), c("GET", "sr"),
                c("SETRANGE", "sr", "0", "xy"), c("SETRANGE", "sr", "20", ""), c("GET", "sr"),
                c("SETRANGE", "sr", "-1", "x"), c("SETRANGE", "sr", "x", "x"), c("SETRANGE", "sr", "-1", ""),
                c("SETRANGE", "sr", "1048576", "x"), c("SETRANGE", "sr", "1048576", ""),
                c("SETRANGE", "sr", "9223372036854775807", "x"), c("SETRANGE", "big", "1048575", "x"),
                c("APPEND", "big", "y"), c("STRLEN", "big"), c("SETRANGE", "big", "1048575", "z"),
                c("SETRANGE", "big", "1048576", "z")));
        servers.compare(script);
    }

    @Test
    void lcs() {
        List<String[]> script = new ArrayList<>(List.of(
                c("MSET", "k1", "ohmytext", "k2", "mynewtext"), c("LCS", "k1", "k2"), c("LCS", "k1", "k2", "LEN"),
                c("LCS", "k1", "k2", "IDX"), c("LCS", "k1", "k2", "IDX", "MINMATCHLEN", "4"),
                c("LCS", "k1", "k2", "IDX", "MINMATCHLEN", "4", "WITHMATCHLEN"), c("LCS", "k1", "k2", "WITHMATCHLEN"),
                c("LCS", "k1", "k2", "LEN", "WITHMATCHLEN"), c("LCS", "k1", "k2", "IDX", "LEN"),
                c("LCS", "k1", "k2", "LEN", "IDX"), c("LCS", "k1", "k2", "MINMATCHLEN"),
                c("LCS", "k1", "k2", "MINMATCHLEN", "x"), c("LCS", "k1", "k2", "MINMATCHLEN", "-5", "IDX"),
                c("LCS", "k1", "k2", "FOO"), c("LCS", "n1", "n2", "IDX"), c("LCS", "n1", "n2"), c("LCS", "k1", "n1"),
                c("LCS", "k1"), c("SET", "l1", "a".repeat(600)), c("SET", "l2", "a".repeat(600)), c("LCS", "l1", "l2"),
                c("LCS", "l1", "l2", "LEN"), c("HELLO", "3"), c("LCS", "k1", "k2", "IDX", "WITHMATCHLEN"),
                c("LCS", "n1", "n2", "IDX"), c("HELLO", "2")));
        // Random DNA-like strings: many short matches and long ones, in both directions.
        Random random = new Random(20240607);
        for (int i = 0; i < 40; i++) {
            String a = randomString(random, random.nextInt(120));
            String b = random.nextBoolean() ? mutate(random, a) : randomString(random, random.nextInt(120));
            script.add(c("MSET", "ra", a, "rb", b));
            script.add(c("LCS", "ra", "rb"));
            script.add(c("LCS", "rb", "ra", "LEN"));
            script.add(c("LCS", "ra", "rb", "IDX", "WITHMATCHLEN"));
            script.add(c("LCS", "ra", "rb", "IDX", "MINMATCHLEN", Integer.toString(random.nextInt(6))));
        }
        servers.compare(script);
    }

    private static String randomString(Random random, int length) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length; i++) {
            sb.append("ACGT".charAt(random.nextInt(4)));
        }
        return sb.toString();
    }

    /** a with a few random insertions, deletions and substitutions. */
    private static String mutate(Random random, String a) {
        StringBuilder sb = new StringBuilder(a);
        int edits = 1 + random.nextInt(8);
        for (int e = 0; e < edits; e++) {
            int pos = sb.length() == 0 ? 0 : random.nextInt(sb.length());
            switch (random.nextInt(3)) {
                case 0 -> sb.insert(pos, "ACGT".charAt(random.nextInt(4)));
                case 1 -> {
                    if (sb.length() > 0) {
                        sb.deleteCharAt(pos);
                    }
                }
                default -> {
                    if (sb.length() > 0) {
                        sb.setCharAt(pos, "ACGT".charAt(random.nextInt(4)));
                    }
                }
            }
        }
        return sb.toString();
    }

    @Test
    void incrbyfloatRandomSums() {
        // Random decimals of varied magnitude and precision: exercises the 64-bit significand
        // rounding and the %.17Lf rendering against the real thing.
        Random random = new Random(7103);
        List<String[]> script = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            if (i % 10 == 0) {
                script.add(c("SET", "rf", randomDecimal(random)));
            }
            script.add(c("INCRBYFLOAT", "rf", randomDecimal(random)));
        }
        servers.compare(script);
    }

    private static String randomDecimal(Random random) {
        StringBuilder sb = new StringBuilder();
        if (random.nextBoolean()) {
            sb.append('-');
        }
        sb.append(random.nextInt(random.nextBoolean() ? 10 : 1_000_000));
        if (random.nextInt(4) != 0) {
            sb.append('.');
            int digits = 1 + random.nextInt(20);
            for (int d = 0; d < digits; d++) {
                sb.append((char) ('0' + random.nextInt(10)));
            }
        }
        if (random.nextInt(5) == 0) {
            sb.append('e').append(random.nextInt(41) - 20);
        }
        return sb.toString();
    }

    @Test
    void transactions() {
        servers.compare(List.of(
                c("MULTI"), c("SET", "t1", "1"), c("INCR", "t1"), c("APPEND", "t1", "x"), c("INCR", "t1"),
                c("GETRANGE", "t1", "0", "0"), c("EXEC"),
                c("MULTI"), c("SET", "t2", "v", "EX", "0"), c("SET", "t2", "w"), c("GET", "t2"), c("EXEC"),
                c("MULTI"), c("INCRBY", "t3"), c("EXEC")));
    }
}
