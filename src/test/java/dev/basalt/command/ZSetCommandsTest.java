package dev.basalt.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basalt.protocol.ErrorReply;
import dev.basalt.storage.ColumnFamily;
import dev.basalt.storage.KeyCodec;
import dev.basalt.types.VersionedMetadata;
import dev.basalt.storage.Txn;
import dev.basalt.testutil.RawClient;
import dev.basalt.testutil.RespValue;
import dev.basalt.testutil.SharedServer;
import dev.basalt.types.Keyspace;
import dev.basalt.util.Bytes;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Sorted-set commands over the wire: exact replies (RESP2 and RESP3), errors, edge cases, MULTI. */
class ZSetCommandsTest {
    @RegisterExtension
    static final SharedServer server = new SharedServer();

    private static String bulk(String s) {
        return "$" + Bytes.of(s).length + "\r\n" + s + "\r\n";
    }

    private static String arr(String... items) {
        return "*" + items.length + "\r\n" + String.join("", items);
    }

    private static String err(String text) {
        return "-" + text + "\r\n";
    }

    private static String integer(long n) {
        return ":" + n + "\r\n";
    }

    private static final String NULL_BULK = "$-1\r\n";
    private static final String NULL_ARRAY = "*-1\r\n";
    private static final String WRONGTYPE = err(ErrorReply.WRONGTYPE);

    /** The live metadata of a key, read straight from storage. */
    private static VersionedMetadata metadata(String key) throws Exception {
        try (Txn txn = server.server().storage().begin(KeyCodec.DEFAULT_NAMESPACE)) {
            return (VersionedMetadata) new Keyspace(txn).metadata(Bytes.of(key));
        }
    }

    @Test
    void zaddRepliesAndErrors() {
        try (RawClient c = server.raw()) {
            assertEquals(integer(3), c.call("ZADD", "za", "1", "a", "2", "b", "3", "c"));
            assertEquals(integer(0), c.call("ZADD", "za", "5", "a"));
            assertEquals(integer(1), c.call("ZADD", "za", "CH", "6", "a", "2", "b"));
            assertEquals(integer(1), c.call("ZADD", "za", "NX", "7", "a", "7", "d"));
            assertEquals(integer(0), c.call("ZADD", "za", "XX", "8", "a", "8", "e"));
            assertEquals(integer(1), c.call("ZADD", "za", "XX", "CH", "9", "a", "9", "e"));
            assertEquals(integer(0), c.call("ZADD", "za", "GT", "CH", "1", "a"));
            assertEquals(integer(1), c.call("ZADD", "za", "LT", "CH", "1", "a"));
            assertEquals(bulk("3.5"), c.call("ZADD", "za", "INCR", "2.5", "a"));
            assertEquals(NULL_BULK, c.call("ZADD", "za", "GT", "INCR", "-1", "a"));
            assertEquals(NULL_BULK, c.call("ZADD", "za", "NX", "INCR", "1", "a"));
            assertEquals(NULL_BULK, c.call("ZADD", "za", "XX", "INCR", "1", "nope"));
            assertEquals(err("ERR syntax error"), c.call("ZADD", "za", "XX", "NX"));
            assertEquals(err("ERR syntax error"), c.call("ZADD", "za", "1", "a", "2"));
            assertEquals(err("ERR XX and NX options at the same time are not compatible"),
                    c.call("ZADD", "za", "NX", "XX", "1", "a"));
            assertEquals(err("ERR GT, LT, and/or NX options at the same time are not compatible"),
                    c.call("ZADD", "za", "GT", "LT", "1", "a"));
            assertEquals(err("ERR GT, LT, and/or NX options at the same time are not compatible"),
                    c.call("ZADD", "za", "NX", "GT", "1", "a"));
            assertEquals(err("ERR INCR option supports a single increment-element pair"),
                    c.call("ZADD", "za", "INCR", "1", "a", "2", "b"));
            assertEquals(err("ERR value is not a valid float"), c.call("ZADD", "za", "1", "a", "x", "b"));
            assertEquals(err("ERR value is not a valid float"), c.call("ZADD", "za", "nan", "a"));
            assertEquals(err("ERR wrong number of arguments for 'zadd' command"), c.call("ZADD", "za", "1"));
            // Nothing of a failed ZADD is applied, even the valid pairs before the bad score.
            assertEquals(NULL_BULK, c.call("ZSCORE", "za", "x"));
            assertEquals(integer(4), c.call("ZCARD", "za"));
        }
    }

    @Test
    void infinitiesAndNan() {
        try (RawClient c = server.raw()) {
            assertEquals(integer(3), c.call("ZADD", "zi", "inf", "p", "-inf", "n", "+Infinity", "q"));
            assertEquals(arr(bulk("n"), bulk("-inf"), bulk("p"), bulk("inf"), bulk("q"), bulk("inf")),
                    c.call("ZRANGE", "zi", "0", "-1", "WITHSCORES"));
            assertEquals(err(dev.basalt.types.ZSetType.NAN_SCORE), c.call("ZINCRBY", "zi", "-inf", "p"));
            assertEquals(err(dev.basalt.types.ZSetType.NAN_SCORE), c.call("ZADD", "zi", "INCR", "inf", "n"));
            assertEquals(bulk("inf"), c.call("ZINCRBY", "zi", "5", "p"));
            assertEquals(integer(2), c.call("ZCOUNT", "zi", "(1", "+inf"));
            assertEquals(integer(0), c.call("ZCOUNT", "zi", "(inf", "+inf"));
            assertEquals(integer(1), c.call("ZCOUNT", "zi", "-inf", "-inf"));
            assertEquals(err("ERR min or max is not a float"), c.call("ZCOUNT", "zi", "nan", "1"));
            assertEquals(arr(bulk("q"), bulk("p")), c.call("ZREVRANGEBYSCORE", "zi", "inf", "(-inf"));
        }
    }

    @Test
    void rangesInBothProtocols() {
        try (RawClient c = server.raw()) {
            c.call("ZADD", "zr", "1", "a", "2", "b", "3", "c", "4", "d");
            assertEquals(arr(bulk("b"), bulk("c")), c.call("ZRANGE", "zr", "1", "2"));
            assertEquals(arr(bulk("d"), bulk("4"), bulk("c"), bulk("3")), c.call("ZRANGE", "zr", "0", "1", "REV", "WITHSCORES"));
            assertEquals(arr(bulk("b"), bulk("c")), c.call("ZRANGE", "zr", "(1", "3", "BYSCORE"));
            assertEquals(arr(bulk("c"), bulk("b")), c.call("ZRANGE", "zr", "3", "(1", "BYSCORE", "REV"));
            assertEquals(arr(bulk("c")), c.call("ZRANGE", "zr", "-inf", "+inf", "BYSCORE", "LIMIT", "2", "1"));
            assertEquals(arr(bulk("a"), bulk("b")), c.call("ZRANGE", "zr", "-", "[b", "BYLEX"));
            assertEquals(arr(), c.call("ZRANGE", "zr", "5", "1"));
            assertEquals(arr(), c.call("ZRANGE", "nokey", "0", "-1"));
            assertEquals(err("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX"),
                    c.call("ZRANGE", "zr", "0", "-1", "LIMIT", "0", "1"));
            assertEquals(err("ERR syntax error, WITHSCORES not supported in combination with BYLEX"),
                    c.call("ZRANGE", "zr", "-", "+", "BYLEX", "WITHSCORES"));
            assertEquals(err("ERR min or max not valid string range item"), c.call("ZRANGEBYLEX", "zr", "a", "+"));
            assertEquals(err("ERR min or max is not a float"), c.call("ZRANGEBYSCORE", "zr", "x", "1"));
            assertEquals(err("ERR value is not an integer or out of range"), c.call("ZRANGE", "zr", "01", "1"));
            assertEquals(err("ERR syntax error"), c.call("ZREVRANGE", "zr", "0", "1", "REV"));

            c.call("HELLO", "3");
            String pairs = "*2\r\n*2\r\n$1\r\na\r\n,1\r\n*2\r\n$1\r\nb\r\n,2\r\n";
            assertEquals(pairs, c.call("ZRANGE", "zr", "0", "1", "WITHSCORES"));
            assertEquals(pairs, c.call("ZRANGEBYSCORE", "zr", "1", "2", "WITHSCORES"));
            assertEquals("*4\r\n*2\r\n$1\r\na\r\n,1\r\n*2\r\n$1\r\nb\r\n,2\r\n*2\r\n$1\r\nc\r\n,3\r\n"
                    + "*2\r\n$1\r\nd\r\n,4\r\n", c.call("ZUNION", "1", "zr", "WITHSCORES"));
            assertEquals("*2\r\n$1\r\na\r\n$1\r\nb\r\n", c.call("ZRANGE", "zr", "0", "1"));
            assertEquals(",2\r\n", c.call("ZSCORE", "zr", "b"));
            assertEquals("_\r\n", c.call("ZSCORE", "zr", "nope"));
            assertEquals("*2\r\n,1\r\n_\r\n", c.call("ZMSCORE", "zr", "a", "nope"));
            assertEquals(",2.5\r\n", c.call("ZINCRBY", "zr", "0.5", "b"));
            assertEquals("*2\r\n:1\r\n,2.5\r\n", c.call("ZRANK", "zr", "b", "WITHSCORE"));
            c.call("HELLO", "2");
        }
    }

    @Test
    void rankWithScoreAsRedis72() {
        try (RawClient c = server.raw()) {
            c.call("ZADD", "zk", "10", "a", "20", "b", "30", "c");
            assertEquals(integer(1), c.call("ZRANK", "zk", "b"));
            assertEquals(integer(2), c.call("ZREVRANK", "zk", "a"));
            assertEquals(arr(integer(1), bulk("20")), c.call("ZRANK", "zk", "b", "WITHSCORE"));
            assertEquals(arr(integer(0), bulk("30")), c.call("ZREVRANK", "zk", "c", "withscore"));
            assertEquals(NULL_BULK, c.call("ZRANK", "zk", "nope"));
            assertEquals(NULL_ARRAY, c.call("ZRANK", "zk", "nope", "WITHSCORE"));
            assertEquals(NULL_BULK, c.call("ZREVRANK", "nokey", "a"));
            assertEquals(NULL_ARRAY, c.call("ZREVRANK", "nokey", "a", "WITHSCORE"));
            assertEquals(err("ERR syntax error"), c.call("ZRANK", "zk", "a", "WITHSCORES"));
            assertEquals(err("ERR wrong number of arguments for 'zrank' command"), c.call("ZRANK", "zk", "a", "WITHSCORE", "x"));
            assertEquals(err("ERR wrong number of arguments for 'zrevrank' command"), c.call("ZREVRANK", "zk"));
            c.call("HELLO", "3");
            assertEquals("_\r\n", c.call("ZRANK", "zk", "nope", "WITHSCORE"));
            assertEquals("_\r\n", c.call("ZRANK", "zk", "nope"));
            c.call("HELLO", "2");
        }
    }

    @Test
    void popsInBothProtocols() {
        try (RawClient c = server.raw()) {
            c.call("ZADD", "zp", "1", "a", "2", "b", "3", "c", "4", "d");
            assertEquals(arr(bulk("a"), bulk("1")), c.call("ZPOPMIN", "zp"));
            assertEquals(arr(bulk("d"), bulk("4"), bulk("c"), bulk("3")), c.call("ZPOPMAX", "zp", "2"));
            assertEquals(arr(), c.call("ZPOPMAX", "zp", "0"));
            assertEquals(err("ERR value is out of range, must be positive"), c.call("ZPOPMIN", "zp", "-1"));
            assertEquals(err("ERR syntax error"), c.call("ZPOPMIN", "zp", "1", "2"));
            c.call("HELLO", "3");
            assertEquals("*2\r\n$1\r\nb\r\n,2\r\n", c.call("ZPOPMIN", "zp"));
            assertEquals("*0\r\n", c.call("ZPOPMIN", "zp"));
            c.call("ZADD", "zp", "1", "a", "2", "b");
            assertEquals("*1\r\n*2\r\n$1\r\na\r\n,1\r\n", c.call("ZPOPMIN", "zp", "1"));
            assertEquals("*2\r\n$2\r\nzp\r\n*1\r\n*2\r\n$1\r\nb\r\n,2\r\n", c.call("ZMPOP", "2", "nokey", "zp", "MAX", "COUNT", "5"));
            assertEquals("_\r\n", c.call("ZMPOP", "1", "zp", "MIN"));
            c.call("HELLO", "2");
            assertEquals(NULL_ARRAY, c.call("ZMPOP", "1", "zp", "MIN"));
            c.call("ZADD", "zp", "1", "a");
            assertEquals(arr(bulk("zp"), arr(arr(bulk("a"), bulk("1")))), c.call("ZMPOP", "1", "zp", "MIN"));
            assertEquals(err("ERR numkeys should be greater than 0"), c.call("ZMPOP", "0", "zp", "MIN"));
            assertEquals(err("ERR syntax error"), c.call("ZMPOP", "2", "zp", "MIN"));
            assertEquals(err("ERR count should be greater than 0"), c.call("ZMPOP", "1", "zp", "MIN", "COUNT", "0"));
        }
    }

    @Test
    void removingTheLastMemberDeletesTheKey() throws Exception {
        try (RawClient c = server.raw()) {
            c.call("ZADD", "zd", "1", "a", "2", "b");
            assertEquals(integer(2), c.call("ZREM", "zd", "a", "b", "nope"));
            assertNull(metadata("zd"));
            c.call("ZADD", "zd", "1", "a");
            assertEquals(arr(bulk("a"), bulk("1")), c.call("ZPOPMAX", "zd"));
            assertNull(metadata("zd"));
            c.call("ZADD", "zd", "1", "a", "2", "b");
            assertEquals(integer(2), c.call("ZREMRANGEBYSCORE", "zd", "-inf", "+inf"));
            assertNull(metadata("zd"));
            c.call("ZADD", "zd", "0", "a", "0", "b");
            assertEquals(integer(2), c.call("ZREMRANGEBYLEX", "zd", "-", "+"));
            assertNull(metadata("zd"));
            c.call("ZADD", "zd", "0", "a", "0", "b");
            assertEquals(integer(2), c.call("ZREMRANGEBYRANK", "zd", "0", "-1"));
            assertNull(metadata("zd"));
            // And the key is free for any type again.
            assertEquals("+OK\r\n", c.call("SET", "zd", "v", "NX"));
        }
    }

    @Test
    void wrongTypeBothWays() {
        try (RawClient c = server.raw()) {
            c.call("SET", "str", "v");
            for (String[] cmd : new String[][] {{"ZADD", "str", "1", "a"}, {"ZINCRBY", "str", "1", "a"}, {"ZREM", "str", "a"},
                    {"ZCARD", "str"}, {"ZCOUNT", "str", "0", "1"}, {"ZLEXCOUNT", "str", "-", "+"}, {"ZSCORE", "str", "a"},
                    {"ZMSCORE", "str", "a"}, {"ZRANK", "str", "a"}, {"ZRANGE", "str", "0", "1"},
                    {"ZRANGEBYSCORE", "str", "0", "1"}, {"ZRANGEBYLEX", "str", "-", "+"}, {"ZPOPMIN", "str"},
                    {"ZMPOP", "1", "str", "MIN"}, {"BZPOPMIN", "str", "0"}, {"BZMPOP", "0", "1", "str", "MAX"},
                    {"ZRANDMEMBER", "str"}, {"ZREMRANGEBYRANK", "str", "0", "1"}, {"ZUNION", "1", "str"},
                    {"ZINTERCARD", "1", "str"}, {"ZSCAN", "str", "0"}, {"ZRANGESTORE", "d", "str", "0", "1"}}) {
                assertEquals(WRONGTYPE, c.call(cmd), String.join(" ", cmd));
            }
            c.call("ZADD", "zw", "1", "a");
            assertEquals(WRONGTYPE, c.call("GET", "zw"));
            assertEquals(WRONGTYPE, c.call("APPEND", "zw", "x"));
            // A store overwrites whatever the destination holds.
            assertEquals(integer(1), c.call("ZUNIONSTORE", "str", "1", "zw"));
            assertEquals(arr(bulk("a")), c.call("ZRANGE", "str", "0", "-1"));
        }
    }

    @Test
    void storeCommandsReplaceAndDeleteTheDestination() throws Exception {
        try (RawClient c = server.raw()) {
            c.call("ZADD", "sa", "1", "x", "2", "y", "3", "z");
            c.call("ZADD", "sb", "10", "y", "20", "z", "30", "w");
            assertEquals(integer(4), c.call("ZUNIONSTORE", "sd", "2", "sa", "sb", "WEIGHTS", "2", "1"));
            assertEquals(arr(bulk("x"), bulk("2"), bulk("y"), bulk("14"), bulk("z"), bulk("26"), bulk("w"), bulk("30")),
                    c.call("ZRANGE", "sd", "0", "-1", "WITHSCORES"));
            assertEquals(integer(2), c.call("ZINTERSTORE", "sd", "2", "sa", "sb", "AGGREGATE", "MAX"));
            assertEquals(arr(bulk("y"), bulk("10"), bulk("z"), bulk("20")), c.call("ZRANGE", "sd", "0", "-1", "WITHSCORES"));
            assertEquals(integer(1), c.call("ZDIFFSTORE", "sd", "2", "sa", "sb"));
            assertEquals(arr(bulk("x"), bulk("1")), c.call("ZRANGE", "sd", "0", "-1", "WITHSCORES"));
            assertEquals(integer(2), c.call("ZRANGESTORE", "sd", "sb", "(10", "+inf", "BYSCORE"));
            assertEquals(arr(bulk("z"), bulk("w")), c.call("ZRANGE", "sd", "0", "-1"));
            // A source may be the destination.
            assertEquals(integer(4), c.call("ZUNIONSTORE", "sa", "2", "sa", "sb"));
            assertEquals(arr(bulk("x"), bulk("y"), bulk("z"), bulk("w")), c.call("ZRANGE", "sa", "0", "-1"));
            assertEquals(integer(0), c.call("ZINTERSTORE", "sd", "2", "sa", "nokey"));
            assertNull(metadata("sd"));
            assertEquals(integer(0), c.call("ZRANGESTORE", "sd", "nokey", "0", "-1"));
            assertEquals(err("ERR at least 1 input key is needed for 'zunionstore' command"), c.call("ZUNIONSTORE", "sd", "0", "sa"));
            assertEquals(err("ERR syntax error"), c.call("ZUNIONSTORE", "sd", "1", "sa", "WITHSCORES"));
            assertEquals(err("ERR weight value is not a float"), c.call("ZINTER", "2", "sa", "sb", "WEIGHTS", "1", "x"));
            assertEquals(err("ERR syntax error"), c.call("ZDIFF", "2", "sa", "sb", "WEIGHTS", "1", "1"));
            assertEquals(integer(3), c.call("ZINTERCARD", "2", "sa", "sb"));
            assertEquals(integer(1), c.call("ZINTERCARD", "2", "sa", "sb", "LIMIT", "1"));
            assertEquals(err("ERR LIMIT can't be negative"), c.call("ZINTERCARD", "2", "sa", "sb", "LIMIT", "-1"));
        }
    }

    @Test
    void plainSetsCountAsScoreOne() {
        try (RawClient c = server.raw()) {
            assertEquals(integer(3), c.call("SADD", "plain", "y", "w", "v"));
            c.call("ZADD", "pz", "1", "x", "2", "y", "3", "z");
            assertEquals(arr(bulk("v"), bulk("1"), bulk("w"), bulk("1"), bulk("x"), bulk("1"), bulk("y"), bulk("3"), bulk("z"), bulk("3")),
                    c.call("ZUNION", "2", "pz", "plain", "WITHSCORES"));
            assertEquals(arr(bulk("y"), bulk("12")), c.call("ZINTER", "2", "pz", "plain", "WEIGHTS", "1", "10", "WITHSCORES"));
            assertEquals(arr(bulk("v"), bulk("1"), bulk("w"), bulk("1")), c.call("ZDIFF", "2", "plain", "pz", "WITHSCORES"));
            assertEquals(integer(1), c.call("ZINTERCARD", "2", "plain", "pz"));
            // A set is still not a sorted set for the other commands.
            assertEquals(WRONGTYPE, c.call("ZCARD", "plain"));
        }
    }

    /** Every subkey of one version of a key, in both column families a sorted set uses. */
    private static int subkeys(String key, long version) {
        int n = 0;
        try (Txn txn = server.server().storage().begin(KeyCodec.DEFAULT_NAMESPACE)) {
            byte[] prefix = txn.codec().subkeyPrefix(Bytes.of(key), version);
            for (ColumnFamily cf : new ColumnFamily[] {ColumnFamily.DEFAULT, ColumnFamily.ZSET_SCORE}) {
                try (dev.basalt.storage.TxnIterator it = txn.iterator(cf)) {
                    for (it.seek(prefix); it.isValid() && Bytes.startsWith(it.key(), prefix); it.next()) {
                        n++;
                    }
                }
            }
        }
        return n;
    }

    @Test
    void keyCommandsSeeSortedSetsWhole() throws Exception {
        try (RawClient c = server.raw()) {
            c.call("ZADD", "zkc", "1", "a", "2", "b", "3", "c");
            assertEquals("+zset\r\n", c.call("TYPE", "zkc"));
            long version = metadata("zkc").version();
            assertEquals(6, subkeys("zkc", version), "member subkeys plus score index entries");
            // RENAME and COPY carry the score index along: score ranges still work on the new keys.
            assertEquals("+OK\r\n", c.call("RENAME", "zkc", "zkc2"));
            assertEquals(integer(1), c.call("COPY", "zkc2", "zkc3"));
            assertEquals(arr(bulk("c"), bulk("b")), c.call("ZREVRANGEBYSCORE", "zkc2", "+inf", "(1"));
            assertEquals(arr(bulk("b"), bulk("c")), c.call("ZRANGEBYSCORE", "zkc3", "(1", "+inf"));
            assertEquals(0, subkeys("zkc", version));
            long copyVersion = metadata("zkc3").version();
            assertEquals(integer(1), c.call("DEL", "zkc3"));
            assertEquals(0, subkeys("zkc3", copyVersion), "DEL reclaims both column families");
            assertEquals(integer(1), c.call("PEXPIRE", "zkc2", "100000"));
            assertTrue(Long.parseLong(c.call("PTTL", "zkc2").substring(1).trim()) > 0);
            assertEquals(integer(2), c.call("ZADD", "zkc2", "4", "d", "5", "e"));
            assertTrue(Long.parseLong(c.call("PTTL", "zkc2").substring(1).trim()) > 0, "ZADD keeps the expiry");
        }
    }

    @Test
    void randMember() {
        try (RawClient c = server.raw()) {
            assertEquals(NULL_BULK, c.call("ZRANDMEMBER", "nokey"));
            assertEquals(arr(), c.call("ZRANDMEMBER", "nokey", "5"));
            c.call("ZADD", "zq", "1", "a", "2", "b", "3", "c");
            assertTrue(Set.of(bulk("a"), bulk("b"), bulk("c")).contains(c.call("ZRANDMEMBER", "zq")));
            RespValue distinct = RespValue.parse(c.call("ZRANDMEMBER", "zq", "10", "WITHSCORES"));
            assertEquals(6, distinct.elements().size());
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < 6; i += 2) {
                String m = distinct.elements().get(i).text();
                seen.add(m);
                assertEquals(Integer.toString(m.charAt(0) - 'a' + 1), distinct.elements().get(i + 1).text());
            }
            assertEquals(Set.of("a", "b", "c"), seen);
            assertEquals(7, RespValue.parse(c.call("ZRANDMEMBER", "zq", "-7")).elements().size());
            assertEquals(arr(), c.call("ZRANDMEMBER", "zq", "0"));
            assertEquals(err("ERR syntax error"), c.call("ZRANDMEMBER", "zq", "1", "x"));
            assertEquals(err("ERR value is out of range"), c.call("ZRANDMEMBER", "zq", "-9223372036854775807", "WITHSCORES"));
            // Basalt holds a reply in memory before sending it: one call picks at most 16 Mi members, as SRANDMEMBER.
            assertEquals(err("ERR count is too large: at most 16777216 random members per call"),
                    c.call("ZRANDMEMBER", "zq", "-16777217"));
            assertEquals(3, RespValue.parse(c.call("ZRANDMEMBER", "zq", "99999999999")).elements().size());
            c.call("HELLO", "3");
            RespValue pairs = RespValue.parse(c.call("ZRANDMEMBER", "zq", "-2", "WITHSCORES"));
            assertEquals(2, pairs.elements().size());
            assertEquals('*', pairs.elements().get(0).type());
            assertEquals(',', pairs.elements().get(0).elements().get(1).type());
            c.call("HELLO", "2");
        }
    }

    @Test
    void scanPagesWithNumericCursors() {
        try (RawClient c = server.raw()) {
            String[] args = new String[2 + 60];
            args[0] = "ZADD";
            args[1] = "zs";
            for (int i = 0; i < 30; i++) {
                args[2 + 2 * i] = Integer.toString(i);
                args[3 + 2 * i] = String.format("m%02d", i);
            }
            c.call(args);
            Set<String> seen = new HashSet<>();
            String cursor = "0";
            int calls = 0;
            do {
                RespValue r = RespValue.parse(c.call("ZSCAN", "zs", cursor, "COUNT", "7"));
                cursor = r.elements().get(0).text();
                List<RespValue> items = r.elements().get(1).elements();
                for (int i = 0; i < items.size(); i += 2) {
                    String member = items.get(i).text();
                    assertEquals(Integer.toString(Integer.parseInt(member.substring(1))), items.get(i + 1).text());
                    seen.add(member);
                }
                calls++;
            } while (!cursor.equals("0"));
            assertEquals(30, seen.size());
            assertEquals(5, calls);
            RespValue matched = RespValue.parse(c.call("ZSCAN", "zs", "0", "MATCH", "m2*", "COUNT", "100"));
            assertEquals("0", matched.elements().get(0).text());
            assertEquals(20, matched.elements().get(1).elements().size());
            assertEquals(arr(bulk("0"), arr()), c.call("ZSCAN", "nokey", "0"));
            assertEquals(err("ERR invalid cursor"), c.call("ZSCAN", "zs", "x"));
            assertEquals(err("ERR syntax error"), c.call("ZSCAN", "zs", "0", "COUNT", "0"));
            assertNotEquals("0", RespValue.parse(c.call("ZSCAN", "zs", "0")).elements().get(0).text());
        }
    }

    @Test
    void numkeysCommandsExposeTheirKeys() {
        try (RawClient c = server.raw()) {
            assertEquals(arr(bulk("d"), bulk("a"), bulk("b")), c.call("COMMAND", "GETKEYS", "ZUNIONSTORE", "d", "2", "a", "b", "WEIGHTS", "1", "2"));
            assertEquals(arr(bulk("a"), bulk("b")), c.call("COMMAND", "GETKEYS", "ZINTER", "2", "a", "b"));
            assertEquals(arr(bulk("a")), c.call("COMMAND", "GETKEYS", "ZMPOP", "1", "a", "b"));
            assertEquals(arr(bulk("a"), bulk("b")), c.call("COMMAND", "GETKEYS", "BZMPOP", "0", "2", "a", "b", "MIN"));
            assertEquals(arr(bulk("a"), bulk("b")), c.call("COMMAND", "GETKEYS", "BZPOPMIN", "a", "b", "0"));
            assertEquals(err("ERR Invalid arguments specified for command"), c.call("COMMAND", "GETKEYS", "ZUNION", "5", "a"));
            assertEquals(err("ERR Invalid arguments specified for command"), c.call("COMMAND", "GETKEYS", "ZDIFFSTORE", "d", "0", "a"));
        }
    }

    @Test
    void transactionsApplyOrDropEachCommandsWrites() {
        try (RawClient c = server.raw()) {
            c.call("ZADD", "zt", "inf", "a");
            assertEquals("+OK\r\n", c.call("MULTI"));
            assertEquals("+QUEUED\r\n", c.call("ZADD", "zt", "1", "b"));
            assertEquals("+QUEUED\r\n", c.call("ZINCRBY", "zt", "-inf", "a"));
            assertEquals("+QUEUED\r\n", c.call("ZUNION", "0", "zt"));
            assertEquals("+QUEUED\r\n", c.call("ZRANGE", "zt", "0", "-1", "WITHSCORES"));
            assertEquals("+QUEUED\r\n", c.call("ZPOPMIN", "zt"));
            assertEquals(arr(integer(1), err(dev.basalt.types.ZSetType.NAN_SCORE),
                    err("ERR at least 1 input key is needed for 'zunion' command"),
                    arr(bulk("b"), bulk("1"), bulk("a"), bulk("inf")), arr(bulk("b"), bulk("1"))), c.call("EXEC"));
            assertEquals(arr(bulk("a"), bulk("inf")), c.call("ZRANGE", "zt", "0", "-1", "WITHSCORES"));
        }
    }

    @Test
    void bigSetKeepsOrderAndRanks() {
        try (RawClient c = server.raw()) {
            String[] args = new String[2 + 2000];
            args[0] = "ZADD";
            args[1] = "zbig";
            for (int i = 0; i < 1000; i++) {
                // Scores repeat every 100 members: ties sort by member.
                args[2 + 2 * i] = Integer.toString(i % 100);
                args[3 + 2 * i] = String.format("m%04d", i);
            }
            assertEquals(integer(1000), c.call(args));
            assertEquals(integer(1000), c.call("ZCARD", "zbig"));
            assertEquals(arr(bulk("m0000"), bulk("m0100")), c.call("ZRANGE", "zbig", "0", "1"));
            assertEquals(integer(10), c.call("ZRANK", "zbig", "m0001"));
            assertEquals(integer(989), c.call("ZREVRANK", "zbig", "m0001"));
            assertEquals(integer(30), c.call("ZCOUNT", "zbig", "(4", "7"));
            assertEquals(arr(bulk("m0999"), bulk("m0899")), c.call("ZREVRANGEBYSCORE", "zbig", "+inf", "-inf", "LIMIT", "0", "2"));
            assertEquals(integer(500), c.call("ZREMRANGEBYRANK", "zbig", "0", "499"));
            assertEquals(arr(bulk("m0050"), bulk("50")), c.call("ZPOPMIN", "zbig"));
        }
    }
}
