package dev.basalt.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basalt.storage.ColumnFamily;
import dev.basalt.storage.KeyCodec;
import dev.basalt.types.CollectionMetadata;
import dev.basalt.types.Keyspace;
import dev.basalt.types.Metadata;
import dev.basalt.storage.Storage;
import dev.basalt.storage.Txn;
import dev.basalt.testutil.RawClient;
import dev.basalt.testutil.RespValue;
import dev.basalt.testutil.SharedServer;
import dev.basalt.types.HashType;
import dev.basalt.util.Bytes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every hash command over the wire, with exact RESP2/RESP3 bytes, errors and edge cases. */
class HashCommandsTest {
    private static final String WRONGTYPE = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";
    private static final String NIL = "$-1\r\n";

    @RegisterExtension
    static final SharedServer server = new SharedServer();
    private RawClient c;

    @BeforeEach
    void connect() {
        c = server.raw();
    }

    @AfterEach
    void disconnect() {
        c.close();
    }

    private static String bulk(String s) {
        return "$" + Bytes.of(s).length + "\r\n" + s + "\r\n";
    }

    private static String arity(String cmd) {
        return "-ERR wrong number of arguments for '" + cmd + "' command\r\n";
    }

    private static byte[] rawMetadata(String key) throws Exception {
        Storage st = server.server().storage();
        try (Txn t = st.begin(KeyCodec.DEFAULT_NAMESPACE)) {
            return t.get(ColumnFamily.METADATA, t.codec().metadataKey(Bytes.of(key)));
        }
    }

    /** Sets a hash's absolute expiry through the storage layer (EXPIRE is another group's command). */
    private static void setExpireAt(String key, long atMs) throws Exception {
        Storage st = server.server().storage();
        try (Txn t = st.begin(KeyCodec.DEFAULT_NAMESPACE)) {
            CollectionMetadata m = new HashType(t).metadata(Bytes.of(key));
            new Keyspace(t).putMetadata(Bytes.of(key), m.withExpireAtMs(atMs));
            st.commit(t);
        }
    }

    @Test
    void hsetAndHget() {
        assertEquals(":2\r\n", c.call("HSET", "h1", "a", "1", "b", "2"));
        assertEquals(":1\r\n", c.call("HSET", "h1", "a", "x", "c", "3"));
        assertEquals(":0\r\n", c.call("HSET", "h1", "a", "y"));
        assertEquals(":1\r\n", c.call("HSET", "h1", "d", "1", "d", "2"), "a repeated field counts once, last wins");
        assertEquals(bulk("y"), c.call("HGET", "h1", "a"));
        assertEquals(bulk("2"), c.call("HGET", "h1", "d"));
        assertEquals(NIL, c.call("HGET", "h1", "zz"));
        assertEquals(NIL, c.call("HGET", "nokey", "a"));
        assertEquals(":1\r\n", c.call("HSET", "h1", "", ""));
        assertEquals(bulk(""), c.call("HGET", "h1", ""));
        assertEquals(":5\r\n", c.call("HLEN", "h1"));
        assertEquals(":1\r\n", c.call("hset", "h1", "\u00e9t\u00e9", "\u00e9"), "UTF-8 field and value");
        assertEquals(bulk("\u00e9"), c.call("HGET", "h1", "\u00e9t\u00e9"));
    }

    @Test
    void arityErrors() {
        assertEquals(arity("hset"), c.call("HSET", "h", "a", "1", "b"), "odd field/value count");
        assertEquals(arity("hset"), c.call("HSET", "h", "a"));
        assertEquals(arity("hmset"), c.call("HMSET", "h", "a", "1", "b"));
        assertEquals(arity("hmset"), c.call("HMSET", "h"));
        assertEquals(arity("hsetnx"), c.call("HSETNX", "h", "a"));
        assertEquals(arity("hget"), c.call("HGET", "h"));
        assertEquals(arity("hmget"), c.call("HMGET", "h"));
        assertEquals(arity("hdel"), c.call("HDEL", "h"));
        assertEquals(arity("hlen"), c.call("HLEN", "h", "x"));
        assertEquals(arity("hstrlen"), c.call("HSTRLEN", "h"));
        assertEquals(arity("hexists"), c.call("HEXISTS", "h"));
        assertEquals(arity("hkeys"), c.call("HKEYS"));
        assertEquals(arity("hvals"), c.call("HVALS", "h", "x"));
        assertEquals(arity("hgetall"), c.call("HGETALL"));
        assertEquals(arity("hincrby"), c.call("HINCRBY", "h", "f"));
        assertEquals(arity("hincrbyfloat"), c.call("HINCRBYFLOAT", "h", "f", "1", "2"));
        assertEquals(arity("hrandfield"), c.call("HRANDFIELD"));
        assertEquals(arity("hscan"), c.call("HSCAN", "h"));
        assertEquals(NIL, c.call("HGET", "h", "a"), "nothing was created by the refused commands");
    }

    @Test
    void hmsetHsetnxHmget() throws Exception {
        assertEquals("+OK\r\n", c.call("HMSET", "h2", "a", "1", "b", "2"));
        assertEquals(":0\r\n", c.call("HSETNX", "h2", "a", "9"));
        assertEquals(":1\r\n", c.call("HSETNX", "h2", "c", "3"));
        assertEquals(":1\r\n", c.call("HSETNX", "h2new", "c", "3"));
        assertEquals("*4\r\n" + bulk("1") + NIL + bulk("3") + bulk("1"), c.call("HMGET", "h2", "a", "zz", "c", "a"));
        assertEquals("*2\r\n" + NIL + NIL, c.call("HMGET", "nokey", "a", "b"));
        c.call("HELLO", "3");
        assertEquals("*2\r\n" + bulk("1") + "_\r\n", c.call("HMGET", "h2", "a", "zz"));
        assertEquals("_\r\n", c.call("HGET", "h2", "zz"));
        assertEquals(3, ((CollectionMetadata) Metadata.decode(rawMetadata("h2"))).size());
    }

    @Test
    void hdelDeletesTheKeyWithItsLastField() throws Exception {
        c.call("HSET", "h3", "a", "1", "b", "2", "c", "3");
        assertEquals(":2\r\n", c.call("HDEL", "h3", "a", "a", "b", "zz"));
        assertEquals(":1\r\n", c.call("HLEN", "h3"));
        assertEquals(":0\r\n", c.call("HDEL", "h3", "zz"));
        assertEquals(":0\r\n", c.call("HDEL", "nokey", "a"));
        assertEquals(":1\r\n", c.call("HDEL", "h3", "c"));
        assertNull(rawMetadata("h3"), "the empty hash is gone");
        assertEquals(":0\r\n", c.call("HLEN", "h3"));
        assertEquals("*0\r\n", c.call("HGETALL", "h3"));
        assertEquals(":1\r\n", c.call("HSET", "h3", "new", "v"), "and can be created again");
        assertEquals("*2\r\n" + bulk("new") + bulk("v"), c.call("HGETALL", "h3"));
    }

    @Test
    void hlenHstrlenHexists() {
        c.call("HSET", "h4", "a", "hello", "e", "");
        assertEquals(":2\r\n", c.call("HLEN", "h4"));
        assertEquals(":0\r\n", c.call("HLEN", "nokey"));
        assertEquals(":5\r\n", c.call("HSTRLEN", "h4", "a"));
        assertEquals(":0\r\n", c.call("HSTRLEN", "h4", "e"));
        assertEquals(":0\r\n", c.call("HSTRLEN", "h4", "zz"));
        assertEquals(":0\r\n", c.call("HSTRLEN", "nokey", "a"));
        assertEquals(":1\r\n", c.call("HEXISTS", "h4", "e"));
        assertEquals(":0\r\n", c.call("HEXISTS", "h4", "zz"));
        assertEquals(":0\r\n", c.call("HEXISTS", "nokey", "a"));
    }

    @Test
    void hkeysHvalsHgetallInBothProtocols() {
        c.call("HSET", "h5", "b", "2", "a", "1");
        // Basalt answers in field (byte) order; Redis leaves the order unspecified.
        assertEquals("*2\r\n" + bulk("a") + bulk("b"), c.call("HKEYS", "h5"));
        assertEquals("*2\r\n" + bulk("1") + bulk("2"), c.call("HVALS", "h5"));
        assertEquals("*4\r\n" + bulk("a") + bulk("1") + bulk("b") + bulk("2"), c.call("HGETALL", "h5"));
        assertEquals("*0\r\n", c.call("HKEYS", "nokey"));
        assertEquals("*0\r\n", c.call("HVALS", "nokey"));
        assertEquals("*0\r\n", c.call("HGETALL", "nokey"));
        c.call("HELLO", "3");
        assertEquals("%2\r\n" + bulk("a") + bulk("1") + bulk("b") + bulk("2"), c.call("HGETALL", "h5"));
        assertEquals("%0\r\n", c.call("HGETALL", "nokey"));
        assertEquals("*2\r\n" + bulk("a") + bulk("b"), c.call("HKEYS", "h5"));
        assertEquals("*0\r\n", c.call("HVALS", "nokey"));
    }

    @Test
    void hincrby() {
        assertEquals(":5\r\n", c.call("HINCRBY", "h6", "n", "5"));
        assertEquals(":-5\r\n", c.call("HINCRBY", "h6", "n", "-10"));
        assertEquals(bulk("-5"), c.call("HGET", "h6", "n"));
        String notInt = "-ERR value is not an integer or out of range\r\n";
        for (String bad : List.of("x", "1.5", "+1", "01", " 1", "", "9223372036854775808")) {
            assertEquals(notInt, c.call("HINCRBY", "h6", "n", bad), bad);
        }
        c.call("HSET", "h6", "text", "abc", "lead", "07", "max", "9223372036854775807", "min", "-9223372036854775808");
        assertEquals("-ERR hash value is not an integer\r\n", c.call("HINCRBY", "h6", "text", "1"));
        assertEquals("-ERR hash value is not an integer\r\n", c.call("HINCRBY", "h6", "lead", "1"));
        String overflow = "-ERR increment or decrement would overflow\r\n";
        assertEquals(overflow, c.call("HINCRBY", "h6", "max", "1"));
        assertEquals(overflow, c.call("HINCRBY", "h6", "min", "-1"));
        assertEquals(":9223372036854775806\r\n", c.call("HINCRBY", "h6", "max", "-1"));
        assertEquals(":0\r\n", c.call("HINCRBY", "h6", "zero", "0"));
        assertEquals(bulk("0"), c.call("HGET", "h6", "zero"));
        assertEquals(notInt, c.call("HINCRBY", "nokey6", "n", "x"));
        assertEquals(NIL, c.call("HGET", "nokey6", "n"));
    }

    @Test
    void hincrbyfloat() {
        assertEquals(bulk("10.5"), c.call("HINCRBYFLOAT", "h7", "f", "10.5"));
        assertEquals(bulk("10.6"), c.call("HINCRBYFLOAT", "h7", "f", "0.1"));
        assertEquals(":1\r\n", c.call("HSET", "h7", "e", "5.0e3"));
        assertEquals(bulk("5200"), c.call("HINCRBYFLOAT", "h7", "e", "2.0e2"));
        assertEquals(bulk("0"), c.call("HINCRBYFLOAT", "h7", "z", "-0"));
        assertEquals(bulk("3"), c.call("HINCRBYFLOAT", "h7", "i", "3"));
        c.call("HSET", "h7", "int", "17", "hex", "0x10", "bad", "1 ", "inf", "inf", "big", "1e4932");
        assertEquals(bulk("17.5"), c.call("HINCRBYFLOAT", "h7", "int", "0.5"));
        assertEquals(bulk("17"), c.call("HINCRBYFLOAT", "h7", "hex", "1"));
        assertEquals("-ERR hash value is not a float\r\n", c.call("HINCRBYFLOAT", "h7", "bad", "1"));
        String notFloat = "-ERR value is not a valid float\r\n";
        for (String bad : List.of("x", "", " 1", "1e", "nan", "1e5000")) {
            assertEquals(notFloat, c.call("HINCRBYFLOAT", "h7", "f", bad), bad);
        }
        assertEquals("-ERR value is NaN or Infinity\r\n", c.call("HINCRBYFLOAT", "h7", "f", "inf"));
        assertEquals("-ERR value is NaN or Infinity\r\n", c.call("HINCRBYFLOAT", "nokey7", "f", "-Infinity"));
        assertEquals("-ERR increment would produce NaN or Infinity\r\n", c.call("HINCRBYFLOAT", "h7", "inf", "1"));
        assertEquals("-ERR increment would produce NaN or Infinity\r\n", c.call("HINCRBYFLOAT", "h7", "big", "1e4932"));
        assertEquals(bulk("1e4932"), c.call("HGET", "h7", "big"));
        assertEquals(bulk("10.6"), c.call("HGET", "h7", "f"));
        assertEquals(NIL, c.call("HGET", "nokey7", "f"));
        c.call("HELLO", "3");
        assertEquals(bulk("11"), c.call("HINCRBYFLOAT", "h7", "f", "0.4"), "a bulk string in RESP3 too");
    }

    @Test
    void hrandfieldWithoutCount() {
        assertEquals(NIL, c.call("HRANDFIELD", "nokey"));
        c.call("HSET", "h8", "only", "v");
        assertEquals(bulk("only"), c.call("HRANDFIELD", "h8"));
        c.call("HSET", "h8", "a", "1", "b", "2");
        Set<String> seen = new HashSet<>();
        // 200 draws over 3 fields: missing one has probability below 3 * (2/3)^200.
        for (int i = 0; i < 200; i++) {
            seen.add(RespValue.parse(c.call("HRANDFIELD", "h8")).text());
        }
        assertEquals(Set.of("only", "a", "b"), seen);
        c.call("HELLO", "3");
        assertEquals("_\r\n", c.call("HRANDFIELD", "nokey"));
    }

    @Test
    void hrandfieldWithCount() {
        c.call("HSET", "h9", "a", "1", "b", "2", "c", "3");
        assertEquals("*0\r\n", c.call("HRANDFIELD", "nokey", "3"));
        assertEquals("*0\r\n", c.call("HRANDFIELD", "nokey", "-3", "WITHVALUES"));
        assertEquals("*0\r\n", c.call("HRANDFIELD", "h9", "0"));
        assertEquals("*0\r\n", c.call("HRANDFIELD", "h9", "0", "withvalues"));
        // Positive count: distinct fields, at most the hash's size.
        assertEquals("*3\r\n" + bulk("a") + bulk("b") + bulk("c"), c.call("HRANDFIELD", "h9", "10"));
        RespValue two = RespValue.parse(c.call("HRANDFIELD", "h9", "2"));
        assertEquals(2, two.elements().size());
        assertNotEquals(two.elements().get(0).text(), two.elements().get(1).text());
        // Negative count: exactly |count| fields, repeats allowed.
        RespValue many = RespValue.parse(c.call("HRANDFIELD", "h9", "-50"));
        assertEquals(50, many.elements().size());
        Set<String> drawn = new TreeSet<>();
        many.elements().forEach(e -> drawn.add(e.text()));
        assertTrue(Set.of("a", "b", "c").containsAll(drawn));
        // WITHVALUES in RESP2: a flat field, value list.
        RespValue wv = RespValue.parse(c.call("HRANDFIELD", "h9", "-4", "WITHVALUES"));
        assertEquals(8, wv.elements().size());
        for (int i = 0; i < 8; i += 2) {
            String f = wv.elements().get(i).text();
            assertEquals(Integer.toString(f.charAt(0) - 'a' + 1), wv.elements().get(i + 1).text());
        }
        assertEquals("*6\r\n" + bulk("a") + bulk("1") + bulk("b") + bulk("2") + bulk("c") + bulk("3"),
                c.call("HRANDFIELD", "h9", "3", "WITHVALUES"));
        // RESP3: an array of [field, value] pairs.
        c.call("HELLO", "3");
        assertEquals("*3\r\n*2\r\n" + bulk("a") + bulk("1") + "*2\r\n" + bulk("b") + bulk("2") + "*2\r\n"
                + bulk("c") + bulk("3"), c.call("HRANDFIELD", "h9", "5", "WITHVALUES"));
        RespValue pairs = RespValue.parse(c.call("HRANDFIELD", "h9", "-2", "WITHVALUES"));
        assertEquals(2, pairs.elements().size());
        assertEquals(2, pairs.elements().get(0).elements().size());
        assertEquals("*1\r\n", c.call("HRANDFIELD", "h9", "-1").substring(0, 4));
    }

    @Test
    void hrandfieldErrors() {
        c.call("HSET", "h10", "a", "1");
        String notInt = "-ERR value is not an integer or out of range\r\n";
        assertEquals(notInt, c.call("HRANDFIELD", "h10", "x"));
        assertEquals(notInt, c.call("HRANDFIELD", "nokey", "1.5"));
        assertEquals("-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807\r\n",
                c.call("HRANDFIELD", "h10", "-9223372036854775808"));
        assertEquals("-ERR syntax error\r\n", c.call("HRANDFIELD", "h10", "1", "WITHVALUE"));
        assertEquals("-ERR syntax error\r\n", c.call("HRANDFIELD", "h10", "1", "WITHVALUES", "x"));
        assertEquals("-ERR syntax error\r\n", c.call("HRANDFIELD", "nokey", "1", "foo"));
        assertEquals("-ERR value is out of range\r\n", c.call("HRANDFIELD", "h10", "4611686018427387904", "WITHVALUES"));
        assertEquals("-ERR value is out of range\r\n", c.call("HRANDFIELD", "h10", "-4611686018427387904", "WITHVALUES"));
        assertEquals("*2\r\n" + bulk("a") + bulk("1"), c.call("HRANDFIELD", "h10", "4611686018427387903", "WITHVALUES"));
    }

    /** Runs HSCAN to the end and returns field -> value, checking each reply's shape. */
    private List<String[]> scanAll(String key, String... options) {
        List<String[]> out = new ArrayList<>();
        String cursor = "0";
        int calls = 0;
        do {
            String[] cmd = new String[3 + options.length];
            cmd[0] = "HSCAN";
            cmd[1] = key;
            cmd[2] = cursor;
            System.arraycopy(options, 0, cmd, 3, options.length);
            RespValue r = RespValue.parse(c.call(cmd));
            assertEquals('*', r.type());
            assertEquals(2, r.elements().size());
            cursor = r.elements().get(0).text();
            List<RespValue> items = r.elements().get(1).elements();
            assertEquals(0, items.size() % 2);
            for (int i = 0; i < items.size(); i += 2) {
                out.add(new String[] {items.get(i).text(), items.get(i + 1).text()});
            }
            assertTrue(++calls < 1000, "the scan ends");
        } while (!cursor.equals("0"));
        return out;
    }

    @Test
    void hscanIteratesEverythingOnce() {
        List<String> args = new ArrayList<>(List.of("HSET", "h11"));
        for (int i = 0; i < 95; i++) {
            args.add("field:" + i);
            args.add("v" + i);
        }
        c.call(args.toArray(new String[0]));
        for (String[] options : new String[][] {{}, {"COUNT", "7"}, {"count", "1000"}, {"COUNT", "1", "MATCH", "*"}}) {
            List<String[]> all = scanAll("h11", options);
            assertEquals(95, all.size(), String.join(" ", options));
            Set<String> fields = new HashSet<>();
            for (String[] fv : all) {
                assertTrue(fields.add(fv[0]));
                assertEquals("v" + fv[0].substring("field:".length()), fv[1]);
            }
        }
        List<String[]> matched = scanAll("h11", "MATCH", "field:1?", "COUNT", "5");
        assertEquals(10, matched.size());
        // A default COUNT of 10: the first reply of 95 fields carries 10 and a cursor to continue.
        RespValue first = RespValue.parse(c.call("HSCAN", "h11", "0"));
        assertNotEquals("0", first.elements().get(0).text());
        assertEquals(20, first.elements().get(1).elements().size());
    }

    @Test
    void hscanSmallAndMissingAndErrors() {
        c.call("HSET", "h12", "a", "1", "b", "2");
        assertEquals("*2\r\n" + bulk("0") + "*4\r\n" + bulk("a") + bulk("1") + bulk("b") + bulk("2"),
                c.call("HSCAN", "h12", "0"));
        assertEquals("*2\r\n" + bulk("0") + "*2\r\n" + bulk("b") + bulk("2"), c.call("HSCAN", "h12", "0", "MATCH", "b"));
        assertEquals("*2\r\n" + bulk("0") + "*0\r\n", c.call("HSCAN", "nokey", "0"));
        // As Redis: a missing key answers the empty scan before its options are checked.
        assertEquals("*2\r\n" + bulk("0") + "*0\r\n", c.call("HSCAN", "nokey", "0", "COUNT", "0"));
        assertEquals("-ERR invalid cursor\r\n", c.call("HSCAN", "nokey", "x"));
        assertEquals("-ERR syntax error\r\n", c.call("HSCAN", "h12", "0", "COUNT", "0"));
        assertEquals("-ERR syntax error\r\n", c.call("HSCAN", "h12", "0", "COUNT", "-1"));
        assertEquals("-ERR value is not an integer or out of range\r\n", c.call("HSCAN", "h12", "0", "COUNT", "x"));
        assertEquals("-ERR syntax error\r\n", c.call("HSCAN", "h12", "0", "MATCH"));
        assertEquals("-ERR syntax error\r\n", c.call("HSCAN", "h12", "0", "TYPE", "string"));
        assertEquals("-ERR syntax error\r\n", c.call("HSCAN", "h12", "0", "NOVALUES"));
        c.call("HELLO", "3");
        assertEquals("*2\r\n" + bulk("0") + "*4\r\n" + bulk("a") + bulk("1") + bulk("b") + bulk("2"),
                c.call("HSCAN", "h12", "0"), "a flat array in RESP3 too");
    }

    @Test
    void otherTypesAnswerWrongType() {
        assertEquals("+OK\r\n", c.call("SET", "str", "v"));
        for (String[] cmd : new String[][] {
            {"HSET", "str", "a", "1"}, {"HMSET", "str", "a", "1"}, {"HSETNX", "str", "a", "1"}, {"HGET", "str", "a"},
            {"HMGET", "str", "a"}, {"HDEL", "str", "a"}, {"HLEN", "str"}, {"HSTRLEN", "str", "a"},
            {"HEXISTS", "str", "a"}, {"HKEYS", "str"}, {"HVALS", "str"}, {"HGETALL", "str"},
            {"HINCRBY", "str", "a", "1"}, {"HINCRBYFLOAT", "str", "a", "1"}, {"HRANDFIELD", "str"},
            {"HRANDFIELD", "str", "0"}, {"HRANDFIELD", "str", "-1", "WITHVALUES"}, {"HSCAN", "str", "0"},
            {"HSCAN", "str", "0", "COUNT", "0"}}) {
            assertEquals(WRONGTYPE, c.call(cmd), String.join(" ", cmd));
        }
        // Argument errors come first where Redis checks them first.
        assertEquals("-ERR value is not an integer or out of range\r\n", c.call("HINCRBY", "str", "a", "x"));
        assertEquals("-ERR value is not a valid float\r\n", c.call("HINCRBYFLOAT", "str", "a", "x"));
        assertEquals("-ERR syntax error\r\n", c.call("HRANDFIELD", "str", "1", "x"));
        assertEquals("-ERR invalid cursor\r\n", c.call("HSCAN", "str", "x"));
        assertEquals(bulk("v"), c.call("GET", "str"));
        c.call("HSET", "hx", "a", "1");
        assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", c.call("GET", "hx"));
    }

    @Test
    void transactionsSeeTheirOwnWritesAndKeepGoingAfterAnError() {
        assertEquals("+OK\r\n", c.call("MULTI"));
        assertEquals("+QUEUED\r\n", c.call("HSET", "h13", "n", "1", "t", "text"));
        assertEquals("+QUEUED\r\n", c.call("HINCRBY", "h13", "n", "41"));
        assertEquals("+QUEUED\r\n", c.call("HINCRBY", "h13", "t", "1"));
        assertEquals("+QUEUED\r\n", c.call("HDEL", "h13", "t"));
        assertEquals("+QUEUED\r\n", c.call("HGETALL", "h13"));
        assertEquals("*5\r\n:2\r\n:42\r\n-ERR hash value is not an integer\r\n:1\r\n*2\r\n" + bulk("n") + bulk("42"),
                c.call("EXEC"));
        assertEquals(":1\r\n", c.call("HLEN", "h13"));

        // Emptied and re-filled inside one transaction: only the new field remains.
        c.call("MULTI");
        c.call("HDEL", "h13", "n");
        c.call("HSET", "h13", "fresh", "1");
        c.call("HKEYS", "h13");
        assertEquals("*3\r\n:1\r\n:1\r\n*1\r\n" + bulk("fresh"), c.call("EXEC"));
        assertEquals("*2\r\n" + bulk("fresh") + bulk("1"), c.call("HGETALL", "h13"));
    }

    @Test
    void watchSeesHashWrites() {
        try (RawClient other = server.raw()) {
            c.call("HSET", "h14", "a", "1");
            assertEquals("+OK\r\n", c.call("WATCH", "h14"));
            assertEquals(":2\r\n", other.call("HINCRBY", "h14", "a", "1"));
            c.call("MULTI");
            c.call("HSET", "h14", "a", "100");
            assertEquals("*-1\r\n", c.call("EXEC"), "the watched hash changed");
            assertEquals(bulk("2"), c.call("HGET", "h14", "a"));
        }
    }

    @Test
    void expiredHashesAreGoneAndUpdatesKeepTheTtl() throws Exception {
        c.call("HSET", "h15", "a", "1", "b", "2");
        long version = ((CollectionMetadata) Metadata.decode(rawMetadata("h15"))).version();
        long future = System.currentTimeMillis() + 600_000;
        setExpireAt("h15", future);
        assertEquals(":1\r\n", c.call("HSET", "h15", "c", "3"));
        assertEquals(":1\r\n", c.call("HDEL", "h15", "a"));
        assertEquals(":5\r\n", c.call("HINCRBY", "h15", "n", "5"));
        assertEquals(future, Metadata.decode(rawMetadata("h15")).expireAtMs(), "writes keep the expiry");

        setExpireAt("h15", System.currentTimeMillis() - 1);
        assertEquals(NIL, c.call("HGET", "h15", "b"));
        assertEquals(":0\r\n", c.call("HLEN", "h15"));
        assertEquals("*0\r\n", c.call("HGETALL", "h15"));
        assertEquals(NIL, c.call("HRANDFIELD", "h15"));
        assertEquals(":1\r\n", c.call("HSET", "h15", "z", "26"));
        assertEquals("*2\r\n" + bulk("z") + bulk("26"), c.call("HGETALL", "h15"));
        CollectionMetadata m = (CollectionMetadata) Metadata.decode(rawMetadata("h15"));
        assertNotEquals(version, m.version(), "a new hash, not the expired one revived");
        assertEquals(0, m.expireAtMs());
    }

    @Test
    void hlenAnswersFromTheMetadata() throws Exception {
        c.call("HSET", "h16", "a", "1", "b", "2");
        CollectionMetadata m = (CollectionMetadata) Metadata.decode(rawMetadata("h16"));
        assertEquals(2, m.size());
        // Remove one field's subkey behind the metadata's back: HLEN still answers the stored size,
        // so it does not walk the hash.
        Storage st = server.server().storage();
        try (Txn t = st.begin(KeyCodec.DEFAULT_NAMESPACE)) {
            t.delete(ColumnFamily.DEFAULT, t.codec().subkey(Bytes.of("h16"), m.version(), Bytes.of("b")));
            st.commit(t);
        }
        assertEquals(":2\r\n", c.call("HLEN", "h16"));
        assertEquals(bulk("1"), c.call("HGET", "h16", "a"));
        assertEquals(NIL, c.call("HGET", "h16", "b"));
    }
}
