package dev.basalt.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.basalt.testutil.Conformance;
import dev.basalt.testutil.RawClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Keyspace notifications against a real redis-server: each command of every family runs on both
 * servers, and the events a pattern subscriber receives for it (keyspace and keyevent channels, in
 * order) must be the same. A PUBLISH to a marker channel after each command ends its events.
 */
@Timeout(120)
class KeyspaceNotificationConformanceTest {
    @RegisterExtension
    static final Conformance servers = new Conformance();

    private static final String MARKER = "marker:end";

    /** The events one command causes, each as "channel message" (from pmessage frames). */
    private static List<String> eventsOf(RawClient writer, RawClient marker, RawClient subscriber, String[] cmd) {
        writer.callBytes(cmd);
        marker.call("PUBLISH", MARKER, "x");
        List<String> events = new ArrayList<>();
        while (true) {
            String f = subscriber.readReply();
            if (f.contains(MARKER)) {
                return events;
            }
            String[] lines = f.split("\r\n");
            // *4 $8 pmessage $n pattern $n channel $n message
            events.add(lines[6] + " " + lines[8]);
        }
    }

    private static void compare(String script) {
        compare(script, "KEA");
    }

    private static void compare(String script, String flags) {
        try (RawClient rw = servers.redis(); RawClient rs = servers.redis(); RawClient rm = servers.redis();
                RawClient bw = servers.basalt(); RawClient bs = servers.basalt(); RawClient bm = servers.basalt()) {
            for (RawClient w : List.of(rw, bw)) {
                assertEquals("+OK\r\n", w.call("CONFIG", "SET", "notify-keyspace-events", flags));
                w.call("FLUSHALL");
            }
            for (RawClient s : List.of(rs, bs)) {
                s.call("PSUBSCRIBE", "__key*__:*");
                s.call("SUBSCRIBE", MARKER);
            }
            List<String> mismatches = new ArrayList<>();
            for (String line : script.split("\n")) {
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] cmd = line.split(" ");
                List<String> expected = eventsOf(rw, rm, rs, cmd);
                List<String> actual = eventsOf(bw, bm, bs, cmd);
                if (!expected.equals(actual)) {
                    mismatches.add(line + ": redis " + expected + " basalt " + actual);
                }
            }
            for (RawClient w : List.of(rw, bw)) {
                w.call("CONFIG", "SET", "notify-keyspace-events", "");
            }
            assertEquals(List.of(), mismatches);
        }
    }

    @Test
    void stringsAndKeys() {
        compare("""
                SET s 1
                SET s 2 EX 100
                SET s 3 KEEPTTL
                SET s 4 NX
                SETNX s2 a
                SETEX s3 100 v
                PSETEX s4 100000 v
                MSET m1 a m2 b
                MSETNX m1 a m3 c
                GETSET s 5
                APPEND s x
                INCR n
                DECR n
                INCRBY n 5
                DECRBY n 2
                INCRBYFLOAT f 1.5
                SETRANGE s 1 zz
                GETEX s EX 100
                GETEX s PERSIST
                GETDEL s2
                EXPIRE s3 100
                PEXPIRE s3 100000
                EXPIREAT s3 99999999999
                PERSIST s3
                EXPIRE s4 -1
                RENAME s3 s5
                RENAMENX s5 m1
                COPY s5 s6
                DEL s5 s6 nothing
                UNLINK m1
                SETBIT b 7 1
                BITOP OR b2 b b
                BITFIELD b SET u8 0 255
                PFADD h a b c
                PFMERGE h2 h
                GET s
                """);
    }

    @Test
    void collections() {
        compare("""
                HSET h f v f2 v2
                HSETNX h f3 v
                HINCRBY h n 1
                HINCRBYFLOAT h x 1.5
                HDEL h f
                HDEL h f2 f3 n x
                LPUSH l a b c
                RPUSH l d
                LPUSHX l e
                RPUSHX nolist e
                LPOP l
                RPOP l
                LSET l 0 z
                LINSERT l BEFORE z y
                LREM l 1 y
                LTRIM l 0 0
                RPUSH l2 q r
                LMOVE l2 l3 LEFT RIGHT
                RPOPLPUSH l2 l3
                LMPOP 1 l3 RIGHT COUNT 5
                RPOP l
                SADD s a b c
                SREM s a
                SMOVE s s2 b
                SPOP s
                SADD s x y
                SINTERSTORE si s s
                SUNIONSTORE su s s2
                SDIFFSTORE sd s s
                ZADD z 1 a 2 b 3 c 4 d
                ZINCRBY z 1 a
                ZREM z a
                ZPOPMIN z
                ZPOPMAX z
                ZADD z 1 a 2 b 3 c
                ZREMRANGEBYRANK z 0 0
                ZREMRANGEBYSCORE z 2 2
                ZADD z 1 a 1 b 1 c
                ZREMRANGEBYLEX z [a [a
                ZRANGESTORE zr z 0 -1
                ZUNIONSTORE zu 1 z
                ZINTERSTORE zi 1 z
                ZDIFFSTORE zd 1 z
                ZMPOP 1 z MIN COUNT 10
                GEOADD g 13.361389 38.115556 Palermo
                GEOSEARCHSTORE g2 g FROMLONLAT 15 37 BYRADIUS 200 km
                RPUSH sl 3 1 2
                SORT sl STORE sl2
                XADD x 1-1 f v
                XADD x 2-1 f v
                XDEL x 1-1
                XTRIM x MAXLEN 0
                XSETID x 5-5
                XGROUP CREATE x g $
                XGROUP CREATECONSUMER x g c
                XGROUP DELCONSUMER x g c
                XGROUP SETID x g 0
                XGROUP DESTROY x g
                FLUSHALL
                """);
    }

    @Test
    void newKeysAndKeyMisses() {
        compare("""
                SET n1 v
                SET n1 v2
                GET n1
                GET missing
                MGET n1 missing1 missing2
                HGET nohash f
                EXISTS missing
                LPUSH nl a
                LPUSH nl b
                RPOPLPUSH nl nl2
                SADD ns a
                ZADD nz 1 a
                HSET nh f v
                XADD nx 1-1 f v
                RENAME n1 n3
                COPY n3 n4
                DEL n3
                """, "KEAnm");
    }

    @Test
    void failedWritesSayNothing() {
        compare("""
                SET str v
                LPUSH str x
                HSET str f v
                INCR str
                MULTI
                SET a 1
                LPUSH a x
                EXEC
                MULTI
                SET b 1
                NOSUCHCOMMAND
                EXEC
                """);
    }
}
