package dev.basalt.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basalt.protocol.ErrorReply;
import dev.basalt.storage.ColumnFamily;
import dev.basalt.storage.KeyCodec;
import dev.basalt.types.Metadata;
import dev.basalt.storage.Txn;
import dev.basalt.storage.TxnIterator;
import dev.basalt.testutil.RawClient;
import dev.basalt.testutil.TestServer;
import dev.basalt.types.Keyspace;
import dev.basalt.types.ListType;
import dev.basalt.util.Bytes;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ListDirection;
import redis.clients.jedis.args.ListPosition;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.LPosParams;
import redis.clients.jedis.util.KeyValue;

/**
 * The list commands through a real server: Jedis for behaviour, RawClient for exact replies, and the
 * storage itself for what must not be left behind (an emptied list's metadata and subkeys). Reply
 * bytes and error texts are also compared with redis-server in {@link ListConformanceTest}.
 */
class ListCommandsTest {
    private TestServer server;
    private Jedis jedis;
    private RawClient raw;

    @BeforeEach
    void start() {
        server = TestServer.start();
        jedis = new Jedis("127.0.0.1", server.port());
        raw = server.raw();
    }

    @AfterEach
    void stop() {
        raw.close();
        jedis.close();
        server.close();
    }

    private byte[] rawMetadata(String key) throws Exception {
        try (Txn txn = server.server().storage().begin(KeyCodec.DEFAULT_NAMESPACE)) {
            return txn.get(ColumnFamily.METADATA, txn.codec().metadataKey(Bytes.of(key)));
        }
    }

    /** Subkeys of every version of the key in the default column family. */
    private int subkeys(String key) {
        byte[] k = Bytes.of(key);
        try (Txn txn = server.server().storage().begin(KeyCodec.DEFAULT_NAMESPACE);
                TxnIterator it = txn.iterator(ColumnFamily.DEFAULT)) {
            byte[] ns = txn.codec().metadataPrefix();
            byte[] prefix = ByteBuffer.allocate(ns.length + 4 + k.length).put(ns).putInt(k.length).put(k).array();
            int n = 0;
            for (it.seek(prefix); it.isValid() && Bytes.startsWith(it.key(), prefix); it.next()) {
                n++;
            }
            return n;
        }
    }

    private void assertGone(String key) throws Exception {
        assertNull(rawMetadata(key), key + " metadata deleted");
        assertEquals(0, subkeys(key), key + " subkeys reclaimed");
    }

    @Test
    void pushesAndPops() {
        assertEquals(3, jedis.rpush("l", "a", "b", "c"));
        assertEquals(5, jedis.lpush("l", "y", "z"));
        assertEquals(List.of("z", "y", "a", "b", "c"), jedis.lrange("l", 0, -1));
        assertEquals(0, jedis.lpushx("none", "a"));
        assertEquals(6, jedis.rpushx("l", "d"));
        assertEquals("z", jedis.lpop("l"));
        assertEquals("d", jedis.rpop("l"));
        assertEquals(List.of("y", "a"), jedis.lpop("l", 2));
        assertEquals(List.of("c", "b"), jedis.rpop("l", 5));
        assertEquals(0, jedis.llen("l"));
        assertNull(jedis.lpop("l"));
        assertEquals("$-1\r\n", raw.call("LPOP", "l"));
        assertEquals("*-1\r\n", raw.call("LPOP", "l", "0"));
        assertEquals("*-1\r\n", raw.call("RPOP", "l", "3"));
        raw.call("RPUSH", "l", "x");
        assertEquals("*0\r\n", raw.call("LPOP", "l", "0"));
        assertEquals("-ERR value is out of range, must be positive\r\n", raw.call("LPOP", "l", "-1"));
        assertEquals("-ERR wrong number of arguments for 'lpop' command\r\n", raw.call("LPOP", "l", "1", "2"));
        assertEquals("-ERR wrong number of arguments for 'rpop' command\r\n", raw.call("RPOP", "l", "1", "2"));
    }

    @Test
    void poppingTheLastElementDeletesTheKey() throws Exception {
        jedis.rpush("a", "1", "2");
        jedis.lpop("a", 2);
        assertGone("a");
        jedis.rpush("b", "1");
        jedis.rpop("b");
        assertGone("b");
        jedis.rpush("c", "x", "y", "x");
        jedis.lrem("c", 0, "x");
        jedis.lrem("c", 0, "y");
        assertGone("c");
        jedis.rpush("d", "1", "2", "3");
        jedis.ltrim("d", 5, 10);
        assertGone("d");
        jedis.rpush("e", "1");
        jedis.lmove("e", "f", ListDirection.LEFT, ListDirection.RIGHT);
        assertGone("e");
        jedis.rpoplpush("f", "g");
        assertGone("f");
        jedis.lmpop(ListDirection.LEFT, 10, "g");
        assertGone("g");
        jedis.rpush("h", "1");
        assertEquals(new KeyValue<>("h", "1"), jedis.blpop(0.0, "h"));
        assertGone("h");
    }

    @Test
    void indexSetRangeTrim() {
        jedis.rpush("l", "a", "b", "c", "d");
        assertEquals("a", jedis.lindex("l", 0));
        assertEquals("d", jedis.lindex("l", -1));
        assertNull(jedis.lindex("l", 4));
        assertEquals("OK", jedis.lset("l", 1, "B"));
        JedisDataException noKey = assertThrows(JedisDataException.class, () -> jedis.lset("none", 0, "x"));
        assertEquals("ERR no such key", noKey.getMessage());
        JedisDataException range = assertThrows(JedisDataException.class, () -> jedis.lset("l", -5, "x"));
        assertEquals("ERR index out of range", range.getMessage());
        assertEquals(List.of("B", "c"), jedis.lrange("l", 1, 2));
        assertEquals(List.of("c", "d"), jedis.lrange("l", -2, 100));
        assertEquals(List.of(), jedis.lrange("l", 3, 1));
        assertEquals("OK", jedis.ltrim("l", 1, -2));
        assertEquals(List.of("B", "c"), jedis.lrange("l", 0, -1));
        assertEquals("-ERR value is not an integer or out of range\r\n", raw.call("LRANGE", "l", "0", "x"));
        // LINDEX and LSET look the key up before parsing the index, as Redis does.
        assertEquals("$-1\r\n", raw.call("LINDEX", "none", "x"));
        assertEquals("-ERR no such key\r\n", raw.call("LSET", "none", "x", "v"));
    }

    @Test
    void removeInsertPosition() {
        jedis.rpush("l", "a", "b", "a", "c", "a");
        assertEquals(2, jedis.lrem("l", -2, "a"));
        assertEquals(List.of("a", "b", "c"), jedis.lrange("l", 0, -1));
        assertEquals(4, jedis.linsert("l", ListPosition.AFTER, "b", "x"));
        assertEquals(-1, jedis.linsert("l", ListPosition.BEFORE, "zz", "x"));
        assertEquals(0, jedis.linsert("none", ListPosition.BEFORE, "a", "x"));
        assertEquals(List.of("a", "b", "x", "c"), jedis.lrange("l", 0, -1));
        assertEquals(2, jedis.lpos("l", "x"));
        assertNull(jedis.lpos("l", "zz"));
        jedis.rpush("p", "a", "b", "a", "c", "a");
        assertEquals(List.of(4L, 2L), jedis.lpos("p", "a", LPosParams.lPosParams().rank(-1), 2));
        assertEquals(List.of(0L, 2L, 4L), jedis.lpos("p", "a", LPosParams.lPosParams(), 0));
        assertEquals("-ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use "
                + "negative to start from the end of the list\r\n", raw.call("LPOS", "p", "a", "RANK", "0"));
        assertEquals("-ERR COUNT can't be negative\r\n", raw.call("LPOS", "p", "a", "COUNT", "-1"));
        assertEquals("-ERR MAXLEN can't be negative\r\n", raw.call("LPOS", "p", "a", "MAXLEN", "-1"));
        assertEquals("-ERR syntax error\r\n", raw.call("LINSERT", "p", "MIDDLE", "a", "b"));
    }

    @Test
    void moveAndMultiPop() {
        jedis.rpush("src", "a", "b", "c");
        assertEquals("c", jedis.lmove("src", "dst", ListDirection.RIGHT, ListDirection.LEFT));
        assertEquals("b", jedis.rpoplpush("src", "src"), "RPOPLPUSH onto itself rotates");
        assertEquals(List.of("b", "a"), jedis.lrange("src", 0, -1));
        assertNull(jedis.lmove("none", "dst", ListDirection.LEFT, ListDirection.LEFT));
        assertEquals(new KeyValue<>("src", List.of("b", "a")), jedis.lmpop(ListDirection.LEFT, 5, "none", "src"));
        assertNull(jedis.lmpop(ListDirection.LEFT, "none", "src"));
        assertEquals("-ERR numkeys should be greater than 0\r\n", raw.call("LMPOP", "0", "a", "LEFT"));
        assertEquals("-ERR count should be greater than 0\r\n", raw.call("LMPOP", "1", "a", "LEFT", "COUNT", "0"));
        assertEquals("-ERR syntax error\r\n", raw.call("LMPOP", "2", "a", "LEFT"));
        assertEquals("*2\r\n$3\r\ndst\r\n*1\r\n$1\r\nc\r\n", raw.call("LMPOP", "2", "none", "dst", "RIGHT"));
    }

    @Test
    void wrongTypeIsReportedForEveryCommand() {
        jedis.set("s", "v");
        String wrongType = "-" + ErrorReply.WRONGTYPE + "\r\n";
        for (String[] cmd : List.of(new String[] {"LPUSH", "s", "a"}, new String[] {"RPUSHX", "s", "a"},
                new String[] {"LPOP", "s"}, new String[] {"RPOP", "s", "2"}, new String[] {"LLEN", "s"},
                new String[] {"LINDEX", "s", "0"}, new String[] {"LSET", "s", "0", "a"},
                new String[] {"LRANGE", "s", "0", "-1"}, new String[] {"LTRIM", "s", "0", "1"},
                new String[] {"LREM", "s", "0", "a"}, new String[] {"LINSERT", "s", "BEFORE", "a", "b"},
                new String[] {"LPOS", "s", "a"}, new String[] {"LMOVE", "s", "d", "LEFT", "LEFT"},
                new String[] {"RPOPLPUSH", "s", "d"}, new String[] {"LMPOP", "1", "s", "LEFT"},
                new String[] {"BLPOP", "s", "0"}, new String[] {"BRPOP", "none", "s", "0"},
                new String[] {"BLMOVE", "s", "d", "LEFT", "LEFT", "0"}, new String[] {"BLMPOP", "0", "1", "s", "LEFT"})) {
            assertEquals(wrongType, raw.call(cmd), String.join(" ", cmd));
        }
        jedis.rpush("l", "x");
        assertEquals(wrongType, raw.call("LMOVE", "l", "s", "LEFT", "LEFT"));
        assertEquals("x", jedis.lindex("l", 0), "nothing moved when the destination has the wrong type");
        assertEquals("v", jedis.get("s"));
    }

    @Test
    void errorsInsideExecDoNotStopTheOtherCommands() {
        assertEquals("+OK\r\n", raw.call("MULTI"));
        raw.call("RPUSH", "t", "a", "b");
        raw.call("LSET", "t", "9", "x");
        raw.call("LPOP", "t");
        raw.call("LSET", "none", "0", "x");
        raw.call("LRANGE", "t", "0", "-1");
        assertEquals("*5\r\n:2\r\n-ERR index out of range\r\n$1\r\na\r\n-ERR no such key\r\n*1\r\n$1\r\nb\r\n",
                raw.call("EXEC"));
    }

    @Test
    void aListWriteBreaksAWatch() {
        jedis.rpush("w", "a");
        try (RawClient other = server.raw()) {
            assertEquals("+OK\r\n", raw.call("WATCH", "w"));
            assertEquals(":2\r\n", other.call("RPUSH", "w", "b"));
            raw.call("MULTI");
            raw.call("LPOP", "w");
            assertEquals("*-1\r\n", raw.call("EXEC"));
            // A no-op LMOVE onto the same end still counts as a modification, as in Redis.
            raw.call("WATCH", "w");
            assertEquals("$1\r\na\r\n", other.call("LMOVE", "w", "w", "LEFT", "LEFT"));
            raw.call("MULTI");
            raw.call("LPOP", "w");
            assertEquals("*-1\r\n", raw.call("EXEC"));
            // So does an LTRIM that keeps everything.
            raw.call("WATCH", "w");
            assertEquals("+OK\r\n", other.call("LTRIM", "w", "0", "-1"));
            raw.call("MULTI");
            raw.call("LPOP", "w");
            assertEquals("*-1\r\n", raw.call("EXEC"));
            // A read does not.
            raw.call("WATCH", "w");
            other.call("LRANGE", "w", "0", "-1");
            raw.call("MULTI");
            raw.call("LPOP", "w");
            assertEquals("*1\r\n$1\r\na\r\n", raw.call("EXEC"));
        }
    }

    @Test
    void anExpiredListCountsAsAbsentAndIsReplaced() throws Exception {
        jedis.rpush("old", "1", "2", "3");
        try (Txn txn = server.server().storage().begin(KeyCodec.DEFAULT_NAMESPACE)) {
            new Keyspace(txn).putMetadata(Bytes.of("old"),
                    new ListType(txn).metadata(Bytes.of("old")).withExpireAtMs(System.currentTimeMillis() - 1000));
            server.server().storage().commit(txn);
        }
        assertEquals(0, jedis.llen("old"));
        assertNull(jedis.lpop("old"));
        assertEquals("*0\r\n", raw.call("LRANGE", "old", "0", "-1"));
        assertEquals(1, jedis.rpush("old", "new"));
        assertEquals(List.of("new"), jedis.lrange("old", 0, -1));
        assertEquals(1, subkeys("old"), "the expired version's subkeys were reclaimed");
    }

    @Test
    void typeAndCommandMetadata() throws Exception {
        jedis.rpush("l", "a");
        assertEquals(ListType.TYPE, Metadata.decode(rawMetadata("l")).type());
        assertEquals("*2\r\n$1\r\na\r\n$1\r\nb\r\n", raw.call("COMMAND", "GETKEYS", "LMPOP", "2", "a", "b", "LEFT"));
        assertEquals("*1\r\n$1\r\nk\r\n", raw.call("COMMAND", "GETKEYS", "BLMPOP", "0", "1", "k", "RIGHT"));
        assertEquals("*2\r\n$1\r\na\r\n$1\r\nb\r\n", raw.call("COMMAND", "GETKEYS", "BLPOP", "a", "b", "0"));
        assertEquals("*2\r\n$1\r\na\r\n$1\r\nb\r\n", raw.call("COMMAND", "GETKEYS", "LMOVE", "a", "b", "LEFT", "LEFT"));
        assertEquals("-ERR Invalid arguments specified for command\r\n",
                raw.call("COMMAND", "GETKEYS", "LMPOP", "5", "a", "LEFT"));
        String info = raw.call("COMMAND", "INFO", "BLPOP");
        assertTrue(info.contains("blocking"), info);
        assertTrue(raw.call("COMMAND", "INFO", "LMPOP").contains("movablekeys"));
    }
}
