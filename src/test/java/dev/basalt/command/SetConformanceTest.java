package dev.basalt.command;

import dev.basalt.testutil.Conformance;
import dev.basalt.testutil.RespValue;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Runs the same set-command scripts against a real redis-server and against Basalt and compares
 * the replies byte for byte. Redis keeps set members in hash tables, Basalt in byte order, so for
 * the commands whose member order is unspecified (SMEMBERS, SINTER, SUNION, SDIFF, SPOP with count,
 * SRANDMEMBER with a count covering the whole set, SSCAN's member list) both replies have their
 * members sorted before the byte comparison; reply type, length and every member still count.
 * Random picks are only scripted where the answer is determined (whole set, one-member set, errors).
 */
class SetConformanceTest {
    private static final Set<String> UNORDERED =
            Set.of("SMEMBERS", "SINTER", "SUNION", "SDIFF", "SPOP", "SRANDMEMBER", "SSCAN");

    @RegisterExtension
    static final Conformance servers = new Conformance();

    private static String[] c(String... args) {
        return args;
    }

    /** Compares with member lists sorted where Redis's order is its hash order. */
    private static void compareSets(List<String[]> script) {
        servers.compare(script, (cmd, reply) -> {
            String name = cmd[0].toUpperCase(Locale.ROOT);
            return UNORDERED.contains(name) ? sorted(name, reply) : reply;
        });
    }

    /** The reply re-encoded with its member list sorted (SSCAN: the list inside [cursor, list]). */
    private static String sorted(String command, String reply) {
        RespValue v = RespValue.parse(reply);
        if (v.elements() == null) {
            return reply;
        }
        if (command.equals("SSCAN")) {
            return encode(new RespValue(v.type(), null, List.of(v.elements().get(0), sortedValue(v.elements().get(1)))));
        }
        return encode(sortedValue(v));
    }

    private static RespValue sortedValue(RespValue v) {
        List<RespValue> items = new ArrayList<>(v.elements());
        items.sort(Comparator.comparing(RespValue::text));
        return new RespValue(v.type(), null, items);
    }

    private static String encode(RespValue v) {
        StringBuilder sb = new StringBuilder();
        switch (v.type()) {
            case '$' -> {
                if (v.text() == null) {
                    sb.append("$-1\r\n");
                } else {
                    sb.append('$').append(v.text().length()).append("\r\n").append(v.text()).append("\r\n");
                }
            }
            case '*', '~' -> {
                sb.append(v.type()).append(v.elements().size()).append("\r\n");
                for (RespValue e : v.elements()) {
                    sb.append(encode(e));
                }
            }
            default -> sb.append(v.type()).append(v.text()).append("\r\n");
        }
        return sb.toString();
    }

    @Test
    void basics() {
        compareSets(List.of(
                c("SADD", "s1", "a", "b", "c", "d"), c("SADD", "s1", "a", "e", "e"), c("SADD", "s1"),
                c("SCARD", "s1"), c("SCARD", "nokey"), c("SCARD"), c("SCARD", "s1", "x"),
                c("SISMEMBER", "s1", "a"), c("SISMEMBER", "s1", "z"), c("SISMEMBER", "nokey", "a"), c("SISMEMBER", "s1"),
                c("SMISMEMBER", "s1", "a", "z", "b"), c("SMISMEMBER", "nokey", "a", "b"), c("SMISMEMBER", "s1"),
                c("SMEMBERS", "s1"), c("SMEMBERS", "nokey"), c("SMEMBERS"),
                c("SREM", "s1", "a", "z", "a"), c("SREM", "s1"), c("SREM", "nokey", "a"), c("SMEMBERS", "s1"),
                c("SREM", "s1", "b", "c", "d", "e"), c("SCARD", "s1"), c("SMEMBERS", "s1"), c("SISMEMBER", "s1", "b"),
                c("SADD", "s1", "again"), c("SMEMBERS", "s1"),
                c("SADD", "empty", ""), c("SISMEMBER", "empty", ""), c("SMEMBERS", "empty"), c("SREM", "empty", ""),
                c("SCARD", "empty"),
                c("SADD", "ints", "3", "1", "2", "-5", "10"), c("SMEMBERS", "ints"), c("SISMEMBER", "ints", "10"),
                c("sadd", "lower", "x"), c("SmEmBeRs", "lower"), c("SISMEMBER", "lower", "X")));
    }

    @Test
    void wrongType() {
        compareSets(List.of(
                c("SET", "str", "v"), c("SADD", "ws", "a", "b"),
                c("SADD", "str", "a"), c("SREM", "str", "a"), c("SCARD", "str"), c("SISMEMBER", "str", "a"),
                c("SMISMEMBER", "str", "a"), c("SMEMBERS", "str"), c("SRANDMEMBER", "str"), c("SRANDMEMBER", "str", "2"),
                c("SRANDMEMBER", "str", "x"), c("SRANDMEMBER", "str", "0"), c("SPOP", "str"), c("SPOP", "str", "1"),
                c("SPOP", "str", "0"), c("SPOP", "str", "-1"),
                c("SMOVE", "str", "ws", "a"), c("SMOVE", "ws", "str", "a"), c("SMOVE", "ws", "str", "zz"),
                c("SMOVE", "nokey", "str", "a"), c("SINTER", "str"), c("SINTER", "nokey", "str"), c("SINTER", "ws", "str"),
                c("SUNION", "nokey", "str"), c("SDIFF", "nokey", "str"), c("SDIFF", "ws", "str"),
                c("SINTERSTORE", "d", "nokey", "str"), c("SUNIONSTORE", "d", "ws", "str"), c("SDIFFSTORE", "d", "str"),
                c("SINTERCARD", "1", "str"), c("SINTERCARD", "2", "nokey", "str"), c("SSCAN", "str", "0"),
                c("SSCAN", "str", "0", "COUNT", "0"), c("SSCAN", "str", "x"), c("GET", "str"),
                c("SMEMBERS", "ws")));
    }

    @Test
    void randomPicksWhereDetermined() {
        compareSets(List.of(
                c("SADD", "r", "a", "b", "c"), c("SRANDMEMBER", "r", "3"), c("SRANDMEMBER", "r", "100"),
                c("SRANDMEMBER", "r", "0"), c("SRANDMEMBER", "nokey"), c("SRANDMEMBER", "nokey", "3"),
                c("SRANDMEMBER", "nokey", "-3"), c("SRANDMEMBER", "r", "x"), c("SRANDMEMBER", "r", "1", "2"),
                c("SRANDMEMBER", "r", "-9223372036854775808"), c("SRANDMEMBER", "r", "9223372036854775808"),
                c("SRANDMEMBER", "r", "9223372036854775807"), c("SRANDMEMBER", "r", "1.5"),
                c("SADD", "one", "x"), c("SRANDMEMBER", "one"), c("SRANDMEMBER", "one", "1"),
                c("SRANDMEMBER", "one", "-4"), c("SRANDMEMBER", "one", "5"),
                c("SPOP", "one", "0"), c("SPOP", "one"), c("SCARD", "one"), c("SPOP", "one"), c("SPOP", "one", "1"),
                c("SPOP", "nokey"), c("SPOP", "nokey", "0"), c("SPOP", "nokey", "3"),
                c("SPOP", "r", "-1"), c("SPOP", "r", "x"), c("SPOP", "r", "01"), c("SPOP", "r", "1.0"),
                c("SPOP", "r", "9223372036854775808"), c("SPOP", "r", "1", "2"), c("SPOP", "r", "0"),
                c("SPOP", "r", "3"), c("SCARD", "r"), c("SMEMBERS", "r"),
                c("SADD", "r2", "a", "b"), c("SPOP", "r2", "9223372036854775807"), c("SCARD", "r2"),
                c("SADD", "r3", "only"), c("SPOP", "r3", "1"), c("SCARD", "r3")));
    }

    @Test
    void move() {
        compareSets(List.of(
                c("SADD", "src", "a", "b", "c"), c("SADD", "dst", "c", "x"),
                c("SMOVE", "src", "dst", "a"), c("SMEMBERS", "src"), c("SMEMBERS", "dst"),
                c("SMOVE", "src", "dst", "c"), c("SMEMBERS", "src"), c("SMEMBERS", "dst"), c("SCARD", "dst"),
                c("SMOVE", "src", "dst", "zz"), c("SMOVE", "src", "src", "b"), c("SMOVE", "src", "src", "zz"),
                c("SMOVE", "src", "new", "b"), c("SCARD", "src"), c("SMEMBERS", "src"), c("SMEMBERS", "new"),
                c("SMOVE", "nokey", "new", "b"), c("SMOVE", "new", "src", "b"), c("SMEMBERS", "src"),
                c("SMOVE", "src"), c("SMOVE", "src", "dst", "a", "b")));
    }

    @Test
    void algebra() {
        compareSets(List.of(
                c("SADD", "k1", "a", "b", "c", "d"), c("SADD", "k2", "c", "d", "e"), c("SADD", "k3", "a", "c", "e", "f"),
                c("SINTER", "k1", "k2"), c("SINTER", "k1", "k2", "k3"), c("SINTER", "k1"), c("SINTER", "k1", "nokey"),
                c("SINTER", "nokey"), c("SINTER", "k1", "k1"), c("SINTER"),
                c("SUNION", "k1", "k2"), c("SUNION", "k1", "k2", "k3", "nokey"), c("SUNION", "nokey"), c("SUNION", "k1", "k1"),
                c("SDIFF", "k1", "k2"), c("SDIFF", "k1", "k2", "k3"), c("SDIFF", "k1", "nokey"), c("SDIFF", "nokey", "k1"),
                c("SDIFF", "k1", "k1"), c("SDIFF", "k3"),
                c("SINTERSTORE", "out", "k1", "k2"), c("SMEMBERS", "out"), c("SCARD", "out"),
                c("SUNIONSTORE", "out", "k1", "k2", "k3"), c("SMEMBERS", "out"), c("SCARD", "out"),
                c("SDIFFSTORE", "out", "k1", "k2"), c("SMEMBERS", "out"), c("SCARD", "out"),
                c("SINTERSTORE", "out", "k1", "nokey"), c("SCARD", "out"), c("SMEMBERS", "out"),
                c("SDIFFSTORE", "out", "k1", "k1"), c("SCARD", "out"),
                c("SET", "strdest", "v"), c("SUNIONSTORE", "strdest", "k1"), c("GET", "strdest"), c("SMEMBERS", "strdest"),
                c("SINTERSTORE", "strdest", "nokey"), c("SCARD", "strdest"),
                c("SET", "strdest2", "v"), c("SDIFFSTORE", "strdest2", "k1", "k1"), c("GET", "strdest2"),
                c("SUNIONSTORE", "k1", "k1", "k2"), c("SMEMBERS", "k1"), c("SINTERSTORE", "k2", "k2", "k3"), c("SMEMBERS", "k2"),
                c("SDIFFSTORE", "k3", "k3", "k2"), c("SMEMBERS", "k3"), c("SINTERSTORE", "out"), c("SUNIONSTORE", "out")));
    }

    @Test
    void sintercard() {
        compareSets(List.of(
                c("SADD", "c1", "a", "b", "c", "d"), c("SADD", "c2", "b", "c", "d", "e"),
                c("SINTERCARD", "1", "c1"), c("SINTERCARD", "2", "c1", "c2"), c("SINTERCARD", "2", "c1", "nokey"),
                c("SINTERCARD", "1", "nokey"), c("SINTERCARD", "2", "c1", "c2", "LIMIT", "0"),
                c("SINTERCARD", "2", "c1", "c2", "LIMIT", "2"), c("SINTERCARD", "2", "c1", "c2", "limit", "100"),
                c("SINTERCARD", "2", "c1", "c2", "LIMIT", "1", "LIMIT", "3"), c("SINTERCARD", "0", "c1"),
                c("SINTERCARD", "-1", "c1"), c("SINTERCARD", "x", "c1"), c("SINTERCARD", "2", "c1"),
                c("SINTERCARD", "9223372036854775807", "c1"), c("SINTERCARD", "9223372036854775808", "c1"),
                c("SINTERCARD", "1", "c1", "LIMIT"), c("SINTERCARD", "1", "c1", "LIMIT", "-1"),
                c("SINTERCARD", "1", "c1", "LIMIT", "x"), c("SINTERCARD", "1", "c1", "FOO", "2"),
                c("SINTERCARD", "1", "c1", "extra"), c("SINTERCARD", "1"), c("SINTERCARD", "1", "c1", "c2"),
                c("SET", "cs", "v"), c("SINTERCARD", "1", "cs", "LIMIT", "-1"), c("SINTERCARD", "1", "cs")));
    }

    @Test
    void sscan() {
        List<String[]> script = new ArrayList<>(List.of(
                c("SADD", "sc", "apple", "banana", "avocado", "cherry"), c("SSCAN", "sc", "0", "COUNT", "1000"),
                c("SSCAN", "sc", "0", "MATCH", "a*", "COUNT", "1000"), c("SSCAN", "sc", "0", "COUNT", "1000", "MATCH", "*an*"),
                c("SSCAN", "sc", "0", "MATCH", "zz*", "COUNT", "1000"), c("SSCAN", "sc", "0", "match", "a*", "count", "1000",
                        "match", "b*"),
                c("SSCAN", "sc", "x"), c("SSCAN", "sc", "0", "COUNT", "0"), c("SSCAN", "sc", "0", "COUNT", "-1"),
                c("SSCAN", "sc", "0", "COUNT", "x"), c("SSCAN", "sc", "0", "MATCH"), c("SSCAN", "sc", "0", "FOO", "bar"),
                c("SSCAN", "sc", "0", "NOVALUES"), c("SSCAN", "sc", "0", "TYPE", "set"), c("SSCAN", "sc"),
                c("SSCAN", "nokey", "0"), c("SSCAN", "nokey", "0", "COUNT", "0"), c("SSCAN", "nokey", "x"),
                c("SSCAN", "sc", "18446744073709551616")));
        compareSets(script);
    }

    @Test
    void resp3Shapes() {
        compareSets(List.of(
                c("HELLO", "3"), c("SADD", "h", "a", "b", "c"), c("SMEMBERS", "h"), c("SMEMBERS", "nokey"),
                c("SINTER", "h", "h"), c("SUNION", "h", "nokey"), c("SDIFF", "h", "nokey"), c("SDIFF", "nokey"),
                c("SRANDMEMBER", "h", "5"), c("SRANDMEMBER", "nokey", "5"), c("SRANDMEMBER", "nokey"),
                c("SADD", "h1", "x"), c("SRANDMEMBER", "h1", "-2"),
                c("SPOP", "nokey", "2"), c("SPOP", "h", "0"), c("SPOP", "nokey"), c("SMISMEMBER", "h", "a", "z"),
                c("SSCAN", "h", "0", "COUNT", "100"), c("SSCAN", "nokey", "0"), c("SISMEMBER", "h", "a"),
                c("SPOP", "h", "10"), c("HELLO", "2")));
    }

    @Test
    void transactions() {
        compareSets(List.of(
                c("MULTI"), c("SADD", "t", "a", "b"), c("SREM", "t", "a"), c("SCARD", "t"), c("SINTERCARD", "0", "t"),
                c("SINTERCARD", "1", "t"), c("SUNIONSTORE", "t2", "t"), c("SMEMBERS", "t2"), c("SPOP", "t", "5"),
                c("SCARD", "t"), c("EXEC"),
                c("MULTI"), c("SET", "ts", "v"), c("SADD", "ts", "x"), c("SUNIONSTORE", "ts", "t2"), c("SMEMBERS", "ts"),
                c("EXEC")));
    }

    @Test
    void withKeyCommands() {
        // TTL values are compared right after EXPIRE 1000, so both servers round to the same second.
        compareSets(List.of(
                c("SADD", "e1", "a"), c("EXPIRE", "e1", "1000"), c("SADD", "e1", "b"), c("TTL", "e1"), c("SREM", "e1", "a"),
                c("TTL", "e1"), c("SPOP", "e1"), c("EXISTS", "e1"), c("TYPE", "e1"), c("TTL", "e1"),
                c("SADD", "e2", "a", "b"), c("EXPIRE", "e2", "1000"), c("SINTERSTORE", "e2", "e2"), c("TTL", "e2"),
                c("TYPE", "e2"), c("SET", "e3", "v"), c("EXPIRE", "e3", "1000"), c("SDIFFSTORE", "e3", "e2"),
                c("TYPE", "e3"), c("TTL", "e3"), c("SADD", "e4", "x"), c("SMOVE", "e4", "e5", "x"), c("EXISTS", "e4", "e5"),
                c("SADD", "ints", "1", "2", "3"), c("OBJECT", "ENCODING", "ints"), c("SADD", "ints", "x"),
                c("OBJECT", "ENCODING", "ints"), c("RENAME", "ints", "ints2"), c("SMEMBERS", "ints2"), c("SCARD", "ints"),
                c("COPY", "ints2", "ints3"), c("SREM", "ints2", "x"), c("SMEMBERS", "ints3"), c("SMEMBERS", "ints2"),
                c("DEL", "ints2"), c("SCARD", "ints2"), c("SADD", "ints2", "z"), c("SMEMBERS", "ints2"),
                c("SADD", "gone", "a"), c("PEXPIREAT", "gone", "1"), c("SCARD", "gone"),
                c("SMEMBERS", "gone"), c("SADD", "gone", "b"), c("SMEMBERS", "gone"), c("TTL", "gone"),
                c("COMMAND", "GETKEYS", "SINTERCARD", "2", "a", "b", "LIMIT", "1"),
                c("COMMAND", "GETKEYS", "SINTERCARD", "0", "a"), c("COMMAND", "GETKEYS", "SINTERCARD", "3", "a"),
                c("COMMAND", "GETKEYS", "SINTERCARD", "x", "a"), c("COMMAND", "GETKEYS", "SMOVE", "a", "b", "m"),
                c("COMMAND", "GETKEYS", "SDIFFSTORE", "d", "a", "b"), c("COMMAND", "GETKEYS", "SSCAN", "k", "0")));
    }

    @Test
    void randomScripts() {
        // Random SADD/SREM/SMOVE/STORE traffic over a few small keys, checking contents all along.
        Random random = new Random(4242);
        String[] keys = {"x1", "x2", "x3"};
        List<String[]> script = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String k = keys[random.nextInt(keys.length)];
            String k2 = keys[random.nextInt(keys.length)];
            String m = Integer.toString(random.nextInt(12));
            switch (random.nextInt(9)) {
                case 0, 1 -> script.add(c("SADD", k, m, Integer.toString(random.nextInt(12))));
                case 2 -> script.add(c("SREM", k, m, Integer.toString(random.nextInt(12))));
                case 3 -> script.add(c("SMOVE", k, k2, m));
                case 4 -> script.add(c("SINTERSTORE", k, k2, keys[random.nextInt(keys.length)]));
                case 5 -> script.add(c("SUNIONSTORE", k, k2));
                case 6 -> script.add(c("SDIFFSTORE", k, k2, keys[random.nextInt(keys.length)]));
                case 7 -> script.add(c("SINTERCARD", "2", k, k2));
                default -> script.add(c("SISMEMBER", k, m));
            }
            script.add(c("SMEMBERS", k));
            script.add(c("SCARD", k2));
        }
        compareSets(script);
    }
}
