package dev.basalt.command;

import dev.basalt.testutil.Conformance;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Runs the same stream scripts against a real redis-server and against Basalt and compares every reply
 * byte for byte, in RESP2 and RESP3. IDs are explicit (or follow an ID in the future, so "*" is
 * deterministic). Normalised before comparing, as they cannot match: times (XPENDING's idle, XINFO's
 * idle, seen-time and delivery times) and XINFO STREAM's radix-tree-nodes (Kvrocks's layout has no
 * radix tree; radix-tree-keys, computed from Redis's node model, is compared).
 */
class StreamConformanceTest {
    @RegisterExtension
    static final Conformance servers = new Conformance();

    private static final Pattern RADIX_NODES = Pattern.compile("(radix-tree-nodes\r\n):\\d+");
    private static final Pattern IDLE = Pattern.compile("(\\$4\r\nidle\r\n):\\d+");
    private static final Pattern SEEN = Pattern.compile("(seen-time\r\n):\\d+");
    private static final Pattern MS_TIME = Pattern.compile(":\\d{13}\r\n");
    /** An XPENDING row: ID, consumer, then the idle time to mask. */
    private static final Pattern PENDING_IDLE = Pattern.compile("(\\*4\r\n\\$\\d+\r\n[^\r]*\r\n\\$\\d+\r\n[^\r]*\r\n):\\d+");

    static String normalize(String[] cmd, String reply) {
        String r = RADIX_NODES.matcher(reply).replaceAll("$1:N");
        r = IDLE.matcher(r).replaceAll("$1:N");
        r = SEEN.matcher(r).replaceAll("$1:N");
        r = MS_TIME.matcher(r).replaceAll(":T\r\n");
        if (cmd[0].equalsIgnoreCase("xpending") && cmd.length > 3) {
            r = PENDING_IDLE.matcher(r).replaceAll("$1:N");
        }
        return r;
    }

    /** The script in RESP2, then again with fresh keys in RESP3. */
    private static void compare(String prefix, String script) {
        servers.compareScript(prefix + "2", "HELLO 2\n" + script, StreamConformanceTest::normalize);
        servers.compareScript(prefix + "3", "HELLO 3\n" + script, StreamConformanceTest::normalize);
    }

    @Test
    void xaddIdsAndErrors() {
        compare("add", """
                XADD @s 1-1 f v
                XADD @s 1-1 f v
                XADD @s 1-0 f v
                XADD @s 1-* a b
                XADD @s 1-* a b
                XADD @s 0-0 a b
                XADD @s2 0-0 a b
                XADD @s2 0-* a b
                XADD @s2 0-* a b
                XADD @s 5 a b c d
                XADD @s 5 a
                XADD @s 6-0 a b c
                XADD @s 6-0
                XADD @s 99999999999999-5 a b
                XADD @s * a b
                XADD @s * a b
                XADD @s 99999999999999-* a b
                XADD @s 99999999999998-* a b
                XADD @s -1 a b
                XADD @s 1--1 a b
                XADD @s " 100000000000000" a b
                XADD @s +100000000000001 a b
                XADD @s 100000000000002-+1 a b
                XADD @s 0100000000000003 a b
                XADD @s 1.5 a b
                XADD @s 5- a b
                XADD @s -5 a b
                XADD @s - a b
                XADD @s + a b
                XADD @s *-5 a b
                XADD @s 18446744073709551616 a b
                XADD @s 200000000000000-18446744073709551615 a b
                XADD @s 200000000000000-* a b
                XADD @s 200000000000000-18446744073709551616 a b
                XADD @s NOMKSTREAM 300000000000000-0 a b
                XADD @none NOMKSTREAM 1-0 a b
                EXISTS @none
                XADD @s NOMKSTREAM
                XADD @s MAXLEN
                XADD @s MAXLEN 5
                XADD @s MAXLEN 5 f
                XADD @s MAXLEN abc 1-0 a b
                XADD @s MAXLEN -1 1-0 a b
                XADD @s MINID abc 1-0 a b
                XADD @s MINID - 1-0 a b
                XADD @s MAXLEN 1 MINID 1 1-0 a b
                XADD @s MINID 1 MAXLEN 1 1-0 a b
                XADD @s LIMIT 5 1-0 a b
                XADD @s LIMIT 0 400000000000000-0 a b
                XADD @s MAXLEN 5 LIMIT 5 1-0 a b
                XADD @s MAXLEN ~ 5 LIMIT -1 1-0 a b
                XADD @s MAXLEN ~ 5 LIMIT x 1-0 a b
                XADD @s nomkstream maxlen = 100 500000000000000-0 a b
                XLEN @s
                XRANGE @s - +
                SET @str x
                XADD @str 1-0 a b
                XADD @str NOMKSTREAM 1-0 a b
                XLEN @str
                XLEN @missing
                """);
    }

    @Test
    void rangesCountsAndExclusiveBounds() {
        compare("range", """
                XADD @s 1-0 a 1
                XADD @s 1-1 b 2
                XADD @s 2-0 c 3
                XADD @s 2-5 d 4 e 5
                XADD @s 3-0 "" ""
                XRANGE @s - +
                XREVRANGE @s + -
                XRANGE @s 1 2
                XRANGE @s 1-1 2-0
                XRANGE @s (1-0 (2-5
                XRANGE @s (1 +
                XRANGE @s - (2
                XREVRANGE @s (3-0 (1-0
                XREVRANGE @s 2 1
                XRANGE @s 2 1
                XRANGE @s 2-0 2-0
                XRANGE @s (2-0 (2-0
                XRANGE @s - + COUNT 2
                XREVRANGE @s + - COUNT 2
                XRANGE @s - + COUNT 0
                XRANGE @s - + COUNT -5
                XRANGE @s - + count 1 COUNT 3
                XRANGE @s - + COUNT
                XRANGE @s - + COUNT x
                XRANGE @s - + LIMIT 1
                XRANGE @s ( +
                XRANGE @s (- +
                XRANGE @s - (+
                XRANGE @s (18446744073709551615-18446744073709551615 +
                XRANGE @s - (0-0
                XRANGE @s - (0
                XRANGE @s x +
                XRANGE @s - x
                XRANGE @missing - +
                XRANGE @missing - + COUNT 0
                XREVRANGE @missing + -
                SET @str x
                XRANGE @str - +
                XREVRANGE @str + -
                XRANGE @str x +
                """);
    }

    @Test
    void deleteTrimAndSetId() {
        compare("del", """
                XADD @s 1-0 a 1
                XADD @s 2-0 a 2
                XADD @s 3-0 a 3
                XADD @s 4-0 a 4
                XADD @s 5-0 a 5
                XDEL @s 1-0 1-0 9-0
                XDEL @s bad
                XDEL @s 2-0 bad
                XDEL @missing bad
                XINFO STREAM @s
                XDEL @s 5-0
                XINFO STREAM @s
                XTRIM @s MAXLEN 1
                XINFO STREAM @s
                XDEL @s 4-0
                XINFO STREAM @s
                EXISTS @s
                XADD @s 3-0 a b
                XADD @s 6-0 a b
                XSETID @s 5-0
                XSETID @s 7-0 ENTRIESADDED 0
                XSETID @s 7-0 ENTRIESADDED -1
                XSETID @s 7-0 MAXDELETEDID 8-0
                XSETID @s 7-0 MAXDELETEDID 7-0 ENTRIESADDED 100
                XSETID @s 7-0 FOO 1
                XSETID @s 7-0 ENTRIESADDED
                XSETID @s -
                XSETID @s +
                XSETID @missing 1-0
                XINFO STREAM @s
                XADD @s 7-0 a b
                XADD @s 8-0 a b
                XTRIM @s
                XTRIM @s FOO
                XTRIM @s MAXLEN
                XTRIM @s LIMIT 10
                XTRIM @s LIMIT 0 MINID 1
                XTRIM @s MAXLEN 1 LIMIT 10
                XTRIM @s MINID 7-0
                XRANGE @s - +
                XTRIM @s MINID = 9
                XTRIM @missing MAXLEN 0
                SET @str x
                XTRIM @str MAXLEN 0
                XDEL @str 1-0
                XSETID @str 1-0
                XADD @e MAXLEN 0 1-0 a b
                XINFO STREAM @e
                XADD @e MINID 5 2-0 a b
                XINFO STREAM @e
                XADD @e MINID 5 6-0 a b
                XINFO STREAM @e
                """);
    }

    @Test
    void approximateTrimmingRemovesWholeNodes() {
        StringBuilder script = new StringBuilder();
        for (int i = 1; i <= 350; i++) {
            script.append("XADD @s MAXLEN ~ 100 ").append(i).append("-0 f v\nXLEN @s\n");
        }
        script.append("XINFO STREAM @s\n");
        for (int i = 1; i <= 450; i++) {
            script.append("XADD @m MINID ~ ").append(Math.max(0, i - 150)).append(' ').append(i).append("-0 f v\n");
        }
        script.append("""
                XLEN @m
                XTRIM @m MAXLEN ~ 10 LIMIT 50
                XLEN @m
                XTRIM @m MAXLEN ~ 10 LIMIT 150
                XLEN @m
                XTRIM @m MAXLEN ~ 10 LIMIT 0
                XLEN @m
                XTRIM @m MAXLEN = 10
                XRANGE @m - +
                XINFO STREAM @m
                """);
        for (int i = 1; i <= 250; i++) {
            script.append("XADD @d ").append(i).append("-0 f v\n");
        }
        script.append("""
                XTRIM @d MINID ~ 150
                XLEN @d
                XTRIM @d MINID ~ 201
                XLEN @d
                XTRIM @d MINID 205
                XLEN @d
                XTRIM @d MAXLEN ~ 0
                XINFO STREAM @d
                """);
        compare("approx", script.toString());
    }

    @Test
    void consumerGroupsReadAckAndPending() {
        compare("group", """
                XADD @s 1-0 f 1
                XADD @s 2-0 f 2
                XADD @s 3-0 f 3
                XADD @s 4-0 f 4
                XGROUP CREATE @s g 0
                XREADGROUP GROUP g c1 COUNT 2 STREAMS @s >
                XREADGROUP GROUP g c2 STREAMS @s >
                XREADGROUP GROUP g c2 STREAMS @s >
                XREADGROUP GROUP g c1 STREAMS @s 0
                XREADGROUP GROUP g c1 STREAMS @s 1
                XREADGROUP GROUP g c1 COUNT 1 STREAMS @s 0
                XREADGROUP GROUP g c3 STREAMS @s 0
                XINFO GROUPS @s
                XINFO CONSUMERS @s g
                XPENDING @s g
                XPENDING @s g - + 10
                XPENDING @s g - + 10 c2
                XPENDING @s g - + 10 c9
                XPENDING @s g (1-0 + 1
                XPENDING @s g IDLE 0 - + 10
                XPENDING @s g IDLE 0 - + 10 c1
                XPENDING @s g IDLE 99999999 - + 10
                XPENDING @s g - + 0
                XPENDING @s g - + -3
                XPENDING @s g - +
                XPENDING @s g - + 10 c1 extra
                XPENDING @s g IDLE 0 - +
                XPENDING @s g IDLE x - + 10
                XPENDING @s g - + x
                XPENDING @s g x + 10
                XPENDING @s g (18446744073709551615-18446744073709551615 + 10
                XPENDING @s nog
                XPENDING @missing g
                XACK @s g 1-0 1-0 9-0
                XACK @s g bad
                XACK @s nog bad
                XACK @missing g bad
                XPENDING @s g
                XDEL @s 2-0
                XREADGROUP GROUP g c1 STREAMS @s 0
                XINFO GROUPS @s
                XADD @s 5-0 f 5
                XINFO GROUPS @s
                XREADGROUP GROUP g c1 NOACK STREAMS @s >
                XINFO GROUPS @s
                XPENDING @s g
                XREADGROUP GROUP g c4 STREAMS @s >
                XINFO CONSUMERS @s g
                XREADGROUP GROUP nog c STREAMS @s >
                XREADGROUP GROUP g c STREAMS @missing >
                XREADGROUP GROUP g c STREAMS @s $
                XREADGROUP GROUP g c STREAMS @s bad
                XREADGROUP GROUP g c COUNT x STREAMS @s >
                XREADGROUP GROUP g c STREAMS @s @s > >
                XREADGROUP GROUP g c STREAMS @s > 0
                XREADGROUP GROUP g STREAMS @s > 0
                XREADGROUP COUNT 1 STREAMS @s > 0
                SET @str x
                XREADGROUP GROUP g c STREAMS @str >
                XACK @str g 1-0
                XPENDING @str g
                XINFO STREAM @s FULL
                XINFO STREAM @s FULL COUNT 1
                XINFO STREAM @s FULL COUNT 0
                XINFO STREAM @s FULL COUNT -1
                """);
    }

    @Test
    void lagAndEntriesReadAsRedis70ReportsThem() {
        compare("lag", """
                XGROUP CREATE @s g $ MKSTREAM
                XINFO GROUPS @s
                XADD @s 1-0 a 1
                XADD @s 2-0 a 2
                XADD @s 3-0 a 3
                XADD @s 4-0 a 4
                XGROUP CREATE @s late 0
                XGROUP CREATE @s mid 2-0
                XGROUP CREATE @s known 2-0 ENTRIESREAD 2
                XINFO GROUPS @s
                XREADGROUP GROUP g c COUNT 1 STREAMS @s >
                XREADGROUP GROUP late c COUNT 1 STREAMS @s >
                XREADGROUP GROUP mid c COUNT 1 STREAMS @s >
                XINFO GROUPS @s
                XDEL @s 3-0
                XINFO GROUPS @s
                XREADGROUP GROUP g c STREAMS @s >
                XREADGROUP GROUP known c COUNT 1 STREAMS @s >
                XINFO GROUPS @s
                XADD @s 5-0 a 5
                XINFO GROUPS @s
                XDEL @s 1-0
                XTRIM @s MAXLEN 1
                XINFO GROUPS @s
                XGROUP SETID @s g 0
                XGROUP SETID @s late $ ENTRIESREAD 5
                XGROUP SETID @s mid 4-0 ENTRIESREAD 0
                XINFO GROUPS @s
                XREADGROUP GROUP g c STREAMS @s >
                XINFO GROUPS @s
                XPENDING @s g
                XSETID @s 10-0 ENTRIESADDED 20 MAXDELETEDID 9-0
                XINFO GROUPS @s
                XINFO STREAM @s
                """);
    }

    @Test
    void claimAndAutoclaim() {
        compare("claim", """
                XADD @s 1-0 f 1
                XADD @s 2-0 f 2
                XADD @s 3-0 f 3
                XADD @s 4-0 f 4
                XADD @s 5-0 f 5
                XGROUP CREATE @s g 0
                XREADGROUP GROUP g c1 COUNT 3 STREAMS @s >
                XCLAIM @s g c2 0 1-0 JUSTID
                XPENDING @s g - + 10
                XCLAIM @s g c2 0 2-0
                XPENDING @s g - + 10
                XCLAIM @s g c2 99999999 3-0
                XCLAIM @s g c2 0 3-0 RETRYCOUNT 7
                XPENDING @s g - + 10
                XCLAIM @s g c3 0 4-0 5-0
                XCLAIM @s g c3 0 4-0 5-0 FORCE
                XPENDING @s g - + 10
                XCLAIM @s g c3 0 4-0 FORCE JUSTID
                XPENDING @s g - + 10
                XCLAIM @s g c3 0 9-0 FORCE
                XCLAIM @s g c1 0 1-0 LASTID 7-0
                XINFO GROUPS @s
                XCLAIM @s g c1 0 1-0 LASTID 2-0
                XINFO GROUPS @s
                XCLAIM @s g c1 0 1-0 IDLE 100000 TIME 5 JUSTID
                XCLAIM @s g c1 0 1-0 FOO
                XCLAIM @s g c1 abc 1-0
                XCLAIM @s g c1 -5 1-0 JUSTID
                XCLAIM @s g c1 0 1-0 IDLE x
                XCLAIM @s g c1 0 1-0 TIME x
                XCLAIM @s g c1 0 1-0 RETRYCOUNT x
                XCLAIM @s g c1 0 1-0 LASTID x
                XCLAIM @s g c1 0 1-0 IDLE
                XCLAIM @s g c1 0 1-0 2 JUSTID
                XCLAIM @s nog c1 0 1-0
                XCLAIM @missing g c1 0 1-0
                XDEL @s 2-0
                XCLAIM @s g c1 0 2-0 JUSTID
                XPENDING @s g
                XCLAIM @s g c9 0 1-0 3-0 4-0 5-0
                XINFO CONSUMERS @s g
                XPENDING @s g
                XAUTOCLAIM @s g c1 0 0 COUNT 1
                XAUTOCLAIM @s g c1 0 0 COUNT 2 JUSTID
                XAUTOCLAIM @s g c1 0 (3-0
                XAUTOCLAIM @s g c1 99999999 0
                XPENDING @s g
                XDEL @s 4-0
                XAUTOCLAIM @s g c2 0 0 COUNT 10
                XPENDING @s g
                XAUTOCLAIM @s g c1 0 0 COUNT 0
                XAUTOCLAIM @s g c1 0 0 COUNT x
                XAUTOCLAIM @s g c1 0 0 COUNT 576460752303423488
                XAUTOCLAIM @s g c1 0 0 COUNT 1000000000000
                XAUTOCLAIM @s g c1 x 0
                XAUTOCLAIM @s g c1 0 x
                XAUTOCLAIM @s g c1 0 (18446744073709551615-18446744073709551615
                XAUTOCLAIM @s g c1 0 0 FOO
                XAUTOCLAIM @s nog c1 0 0
                XAUTOCLAIM @missing g c1 0 0
                SET @str x
                XCLAIM @str g c 0 1-0
                XAUTOCLAIM @str g c 0 0
                XINFO STREAM @s FULL
                """);
    }

    @Test
    void autoclaimWalksAtMostTenTimesCountEntries() {
        StringBuilder script = new StringBuilder("XGROUP CREATE @s g 0 MKSTREAM\n");
        for (int i = 1; i <= 40; i++) {
            script.append("XADD @s ").append(i).append("-0 f v\n");
        }
        script.append("""
                XREADGROUP GROUP g c1 STREAMS @s >
                XDEL @s 3-0 4-0 20-0
                XAUTOCLAIM @s g c2 99999999 0 COUNT 2
                XAUTOCLAIM @s g c2 99999999 21-0 COUNT 1
                XAUTOCLAIM @s g c2 0 0 COUNT 2
                XAUTOCLAIM @s g c2 0 4-0 COUNT 3 JUSTID
                XAUTOCLAIM @s g c2 0 38-0 COUNT 5 JUSTID
                XPENDING @s g
                XINFO CONSUMERS @s g
                """);
        compare("auto", script.toString());
    }

    @Test
    void xgroupSubcommands() {
        compare("xgroup", """
                XGROUP CREATE @s g $
                XGROUP CREATE @s g $ MKSTREAM
                XGROUP CREATE @s g $
                XGROUP CREATE @s g2 0 ENTRIESREAD -2
                XGROUP CREATE @s g2 0 ENTRIESREAD x
                XGROUP CREATE @s g2 0 ENTRIESREAD
                XGROUP CREATE @s g2 0 ENTRIESREAD 3 MKSTREAM MKSTREAM
                XGROUP CREATE @s g3 0 FOO
                XGROUP CREATE @s g3 - 
                XGROUP CREATE @s g3 bad
                XGROUP CREATE @s g3 0 MKSTREAM MKSTREAM MKSTREAM MKSTREAM
                XGROUP CREATE @s 1digit 0
                XGROUP CREATE @s ""
                XGROUP CREATE @s "" 0
                XGROUP SETID @s g 0 MKSTREAM
                XGROUP SETID @s g 0 ENTRIESREAD 3 ENTRIESREAD 4
                XGROUP SETID @s g + ENTRIESREAD 3
                XGROUP SETID @s g -
                XGROUP SETID @s g bad
                XGROUP SETID @s nog 0
                XGROUP SETID @missing g 0
                XINFO GROUPS @s
                XGROUP CREATECONSUMER @s g alice
                XGROUP CREATECONSUMER @s g alice
                XGROUP CREATECONSUMER @s g 2bob
                XGROUP CREATECONSUMER @s nog alice
                XGROUP CREATECONSUMER @missing g alice
                XINFO CONSUMERS @s g
                XGROUP DELCONSUMER @s g alice
                XGROUP DELCONSUMER @s g alice
                XGROUP DELCONSUMER @s nog alice
                XGROUP DELCONSUMER @missing g alice
                XGROUP DESTROY @s g
                XGROUP DESTROY @s g
                XGROUP DESTROY @missing g
                XINFO GROUPS @s
                XGROUP HELP
                XGROUP HELP extra
                XGROUP
                XGROUP FOO
                XGROUP CREATE @s
                XGROUP DESTROY @s g extra
                SET @str x
                XGROUP CREATE @str g $
                XGROUP CREATE @str g $ MKSTREAM
                XGROUP DESTROY @str g
                XGROUP CREATECONSUMER @str g c
                """);
    }

    @Test
    void xinfoAndXread() {
        compare("info", """
                XINFO STREAM @missing
                XINFO GROUPS @missing
                XINFO CONSUMERS @missing g
                XGROUP CREATE @s g $ MKSTREAM
                XINFO STREAM @s
                XINFO STREAM @s FULL
                XADD @s 1-0 a b
                XADD @s 2-0 c d e f
                XINFO STREAM @s
                XINFO STREAM @s FOO
                XINFO STREAM @s FULL FOO 1
                XINFO STREAM @s FULL COUNT
                XINFO STREAM @s FULL COUNT x
                XINFO STREAM @s FULL COUNT 1 extra
                XINFO CONSUMERS @s nog
                XINFO HELP
                XINFO HELP extra
                XINFO FOO @s
                XINFO
                SET @str x
                XINFO STREAM @str
                XREAD STREAMS @s 0
                XREAD COUNT 1 STREAMS @s 0
                XREAD COUNT -1 STREAMS @s 0
                XREAD STREAMS @s 1-0
                XREAD STREAMS @s 2-0
                XREAD STREAMS @s $
                XREAD STREAMS @s >
                XREAD STREAMS @s @missing 0 0
                XREAD STREAMS @missing @s 0 0
                XREAD STREAMS @s @s 0 1
                XREAD STREAMS @s
                XREAD STREAMS @s 0 0
                XREAD GROUP a b STREAMS @s 0
                XREAD NOACK STREAMS @s 0
                XREAD FOO STREAMS @s 0
                XREAD COUNT x STREAMS @s 0
                XREAD BLOCK -1 STREAMS @s 0
                XREAD BLOCK x STREAMS @s 0
                XREAD BLOCK 10 STREAMS @s 0
                XREAD STREAMS @str 0
                XREAD STREAMS @s @str 0 0
                XREAD STREAMS @s bad
                XREAD STREAMS @s -
                MULTI
                XREAD BLOCK 0 STREAMS @s $
                XREAD BLOCK 0 STREAMS @s 0
                XREADGROUP GROUP g c BLOCK 0 STREAMS @s >
                XREADGROUP GROUP g c BLOCK 0 STREAMS @s >
                EXEC
                """);
    }

    @Test
    void genericCommandsOnStreams() {
        compare("generic", """
                XADD @s 1-0 a b
                XGROUP CREATE @s g 0
                XREADGROUP GROUP g c STREAMS @s >
                TYPE @s
                OBJECT ENCODING @s
                EXISTS @s
                COPY @s @copy
                XRANGE @copy - +
                XPENDING @copy g
                XINFO GROUPS @copy
                RENAME @s @renamed
                EXISTS @s
                XPENDING @renamed g
                XINFO STREAM @renamed
                EXPIRE @renamed 100
                TTL @renamed
                PERSIST @renamed
                DEL @renamed
                XLEN @renamed
                XINFO GROUPS @renamed
                XGROUP CREATE @empty g $ MKSTREAM
                TYPE @empty
                XLEN @empty
                EXISTS @empty
                XADD @e2 1-0 a b
                XDEL @e2 1-0
                EXISTS @e2
                TYPE @e2
                MULTI
                XADD @t 1-0 a b
                XLEN @t
                XGROUP CREATE @t g 0
                XREADGROUP GROUP g c STREAMS @t >
                XADD @t 0-1 a b
                XPENDING @t g
                XADD @t 2-0 c d
                XRANGE @t - +
                EXEC
                """);
    }
}
