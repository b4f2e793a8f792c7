package dev.basalt.command;

import dev.basalt.testutil.Conformance;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The bit commands against a real redis-server, reply for reply and byte for byte, on strings and on
 * Kvrocks bitmaps (keys created by SETBIT, BITFIELD and BITOP). Both servers run with proto-max-bulk-len
 * 1 MB, so the last valid bit offset (8388607) and the first refused one (8388608) are cheap to try. The
 * scripts leave out STRLEN, GETRANGE and APPEND on bitmaps, which answer WRONGTYPE as in Kvrocks.
 */
class BitmapConformanceTest {
    @RegisterExtension
    static final Conformance servers = new Conformance(Map.of("proto-max-bulk-len", "1048576"),
            "--proto-max-bulk-len", "1048576");

    @Test
    void setbitGetbitAndOffsets() {
        servers.compareScript("bits", """
                SETBIT @b 7 1
                SETBIT @b 7 1
                SETBIT @b 7 0
                SETBIT @b 100 1
                GETBIT @b 100
                GETBIT @b 101
                GETBIT @b 8388607
                GETBIT @none 5
                GET @b
                SETBIT @b 8388607 1
                GETBIT @b 8388607
                BITCOUNT @b
                SETBIT @b 8388608 1
                GETBIT @b 8388608
                SETBIT @b -1 1
                SETBIT @b 1.5 1
                SETBIT @b 01 1
                SETBIT @b " 1" 1
                SETBIT @b 1 2
                SETBIT @b 1 -1
                SETBIT @b 1 x
                SETBIT @b 1 ""
                SETBIT @b abc x
                GETBIT @b -1
                GETBIT @b x
                SETBIT @b 1
                GETBIT @b
                DEL @b
                SETBIT @z 0 0
                GET @z
                TYPE @z
                OBJECT ENCODING @z
                SET @s foobar
                GETBIT @s 1
                SETBIT @s 1 0
                SETBIT @s 60 1
                GET @s
                TYPE @s
                SET @n 12345
                GETBIT @n 2
                SETBIT @n 2 1
                GET @n
                LPUSH @l a
                SETBIT @l 1 1
                GETBIT @l 1
                SETBIT @l x 1
                """);
    }

    @Test
    void bitcountRanges() {
        StringBuilder script = new StringBuilder("SET @s foobar\nSETBIT @b 3 1\nSETBIT @b 17 1\nSETBIT @b 8195 1\n"
                + "SETBIT @b 70000 1\nSETBIT @b 70007 1\nSET @e \"\"\n");
        for (String key : new String[] {"@s", "@b", "@e", "@none"}) {
            script.append("BITCOUNT ").append(key).append('\n');
            for (String range : new String[] {"0 -1", "1 1", "-1 -1", "-2 -1", "5 30 BIT", "5 30 byte", "0 0 bit",
                "-5 -1 bit", "-100 -1", "-1 -100", "3 2", "0 1000", "-3 -5", "-3 -5 foo", "1 2 foo", "1024 1100",
                "8000 9000 bit", "1000 1100 bit", "69999 70008 bit", "-9 -1 bit", "0 -9000000000000000000 bit"}) {
                script.append("BITCOUNT ").append(key).append(' ').append(range).append('\n');
            }
            script.append("BITCOUNT ").append(key).append(" 1\n");
            script.append("BITCOUNT ").append(key).append(" a b\n");
            script.append("BITCOUNT ").append(key).append(" 1 b\n");
            script.append("BITCOUNT ").append(key).append(" 1 2 bit 4\n");
        }
        script.append("LPUSH @l a\nBITCOUNT @l\nBITCOUNT @l a b\n");
        servers.compareScript("count", script.toString());
    }

    @Test
    void bitposRanges() {
        // Strings "\xff\xf0\x00" and "\xff\xff", written through BITFIELD on existing strings (they stay strings).
        StringBuilder script = new StringBuilder("SET @s abc\nBITFIELD @s SET u8 0 255 SET u8 8 240 SET u8 16 0\n"
                + "SET @ones ab\nBITFIELD @ones SET u16 0 65535\nSET @e \"\"\n"
                + "SETBIT @b 3 1\nSETBIT @b 17 1\nSETBIT @b 9000 1\nSETBIT @b 70000 1\n");
        // A bitmap of ones with a gap: bits 0..15 set, then a missing fragment, then ones in the third.
        for (int i = 0; i < 16; i++) {
            script.append("SETBIT @full ").append(i).append(" 1\n");
        }
        script.append("SETBIT @full 16390 1\n");
        for (String key : new String[] {"@s", "@ones", "@e", "@b", "@full", "@none"}) {
            for (String bit : new String[] {"0", "1"}) {
                script.append("BITPOS ").append(key).append(' ').append(bit).append('\n');
                for (String range : new String[] {"0", "1", "-1", "2", "0 -1", "1 1", "2 1", "0 0 bit", "3 9 bit",
                    "-5 -1 bit", "7 15 BIT", "16 16 bit", "0 1 byte", "1000 2000", "1100 1200", "8190 9010 bit",
                    "16 16389 bit", "-3 -1", "-1 -3", "100 100", "3 2 bit"}) {
                    script.append("BITPOS ").append(key).append(' ').append(bit).append(' ').append(range).append('\n');
                }
                script.append("BITPOS ").append(key).append(' ').append(bit).append(" 0 1 foo\n");
                script.append("BITPOS ").append(key).append(' ').append(bit).append(" x\n");
                script.append("BITPOS ").append(key).append(' ').append(bit).append(" 0 x\n");
                script.append("BITPOS ").append(key).append(' ').append(bit).append(" 0 1 bit 3\n");
            }
            script.append("BITPOS ").append(key).append(" 2\n");
            script.append("BITPOS ").append(key).append(" -1 0\n");
            script.append("BITPOS ").append(key).append(" x\n");
        }
        servers.compareScript("pos", script.toString());
    }

    @Test
    void bitopOverStringsAndBitmaps() {
        servers.compareScript("op", """
                SET @s1 foobar
                SET @s2 abcdef
                SETBIT @b1 3 1
                SETBIT @b1 9000 1
                SETBIT @b2 4 1
                SETBIT @b2 30000 1
                BITOP AND @d @s1 @s2
                GET @d
                BITOP OR @d @s1 @s2 @b1
                GET @d
                BITOP XOR @d @b1 @b2 @s1
                GET @d
                BITCOUNT @d
                BITOP NOT @d @s1
                GET @d
                BITOP NOT @d @b2
                GET @d
                BITOP and @d @b1 @b2
                GET @d
                BITOP and @d @b1 @none
                GET @d
                BITOP or @d @none @none2
                EXISTS @d
                SET @d x
                BITOP Xor @d @b1
                TYPE @d
                BITOP NOT @d @s1 @s2
                BITOP NOT @d
                BITOP foo @d @s1
                BITOP AND @d
                SET @e ""
                BITOP OR @d @e
                EXISTS @d
                BITOP AND @b1 @b1 @s1
                GET @b1
                LPUSH @l a
                BITOP OR @d @s1 @l
                BITOP OR @l @s1
                TYPE @l
                GET @l
                SETBIT @far 8388607 1
                BITOP OR @d @far @s1
                BITCOUNT @d
                BITPOS @d 1 1000
                """);
    }

    @Test
    void bitfieldAndItsOverflows() {
        servers.compareScript("field", """
                BITFIELD @f SET u8 0 255 GET u8 0 INCRBY u8 0 10 OVERFLOW SAT INCRBY u8 0 300 OVERFLOW FAIL INCRBY u8 0 -1000
                BITFIELD @f GET i64 0 SET i64 #1 -5 GET i64 8 GET u63 #1 INCRBY i5 100 1
                BITFIELD @f OVERFLOW WRAP INCRBY i8 0 200 INCRBY u7 3 300 INCRBY i64 0 9223372036854775807 INCRBY i64 0 9223372036854775807
                BITFIELD @f OVERFLOW SAT INCRBY i64 64 9223372036854775807 INCRBY i64 64 1 INCRBY i64 64 -9223372036854775808
                BITFIELD @f OVERFLOW SAT INCRBY i64 64 -9223372036854775808 INCRBY i64 64 -1 INCRBY u63 0 -1 INCRBY u63 0 9223372036854775807
                BITFIELD @f OVERFLOW FAIL INCRBY i3 0 5 INCRBY u2 0 4 SET u1 0 2 SET i4 0 -9 SET i4 0 -8
                BITFIELD @f OVERFLOW SAT SET u8 0 -1 SET i8 0 128 SET u8 0 256 GET u8 0 SET i8 0 -129 GET i8 0
                BITFIELD @f SET u8 0 -1 GET u8 0 SET i1 0 1 GET i1 0 SET u1 0 1
                BITFIELD @f GET u1 0 GET i1 0 GET u63 1 GET i64 1 GET u8 8388600 GET i64 8388600
                BITFIELD @f SET i64 8388607 -1
                BITFIELD @f GET u8 #1048575
                BITFIELD @f GET u8 #1048576
                BITFIELD @f GET u8 8388608
                BITFIELD @f OVERFLOW foo
                BITFIELD @f OVERFLOW
                BITFIELD @f GET u64 0
                BITFIELD @f GET i65 0
                BITFIELD @f GET i0 0
                BITFIELD @f GET u 0
                BITFIELD @f GET x8 0
                BITFIELD @f GET U8 0
                BITFIELD @f get u8 #-1
                BITFIELD @f GET u8 -1
                BITFIELD @f GET u8 #x
                BITFIELD @f SET u8 #3 abc
                BITFIELD @f INCRBY u8 0
                BITFIELD @f GET u8
                BITFIELD @f FOO u8 0
                BITFIELD @f GET u8 0 GET
                BITFIELD @f
                BITFIELD @none
                BITFIELD @none GET u8 0 GET i16 #3
                EXISTS @none
                BITFIELD @fail OVERFLOW FAIL INCRBY u8 100 300
                GET @fail
                BITFIELD_RO @f GET u8 0 GET i4 #3
                BITFIELD_RO @f GET u8 0 SET u8 0 1
                BITFIELD_RO @f INCRBY u8 0 1
                BITFIELD_RO @f GET u8 0 OVERFLOW SAT
                BITFIELD_RO @f GET u64 0 SET u8 0 1
                BITFIELD_RO @none GET u8 0
                SET @s foobar
                BITFIELD @s GET u8 0 SET u8 #1 66 INCRBY i16 32 1000 GET u32 40
                GET @s
                BITFIELD_RO @s GET i32 3
                LPUSH @l a
                BITFIELD @l GET u8 0
                BITFIELD @l SET u8 0 1
                BITFIELD_RO @l GET u8 0
                BITFIELD @l GET u64 0
                """);
    }

    @Test
    void resp3Replies() {
        servers.compareScript("resp3", """
                HELLO 3
                SETBIT @b 5 1
                BITFIELD @b OVERFLOW FAIL INCRBY u2 0 9 GET u8 0
                BITCOUNT @b
                BITPOS @b 1
                GET @b
                GET @none
                """);
    }

    /**
     * Thousands of random bit commands (fixed seed) over a few keys that are strings, bitmaps, missing or
     * of another type in turn, compared reply for reply.
     */
    @Test
    void randomDifferential() {
        Random r = new Random(20261202);
        String[] keys = {"rnd:a", "rnd:b", "rnd:c", "rnd:d"};
        String[] types = {"u1", "u3", "u8", "u16", "u31", "u63", "i1", "i5", "i8", "i17", "i32", "i64"};
        List<String[]> script = new ArrayList<>();
        for (int n = 0; n < 4000; n++) {
            String key = keys[r.nextInt(keys.length)];
            switch (r.nextInt(20)) {
                case 0, 1, 2, 3 -> script.add(cmd("SETBIT", key, Long.toString(offset(r)), Integer.toString(r.nextInt(2))));
                case 4, 5 -> script.add(cmd("GETBIT", key, Long.toString(offset(r))));
                case 6, 7 -> {
                    String[] c = {"BITCOUNT", key, Integer.toString(r.nextInt(40) - 20), Integer.toString(r.nextInt(300) - 60),
                        r.nextBoolean() ? "BIT" : "BYTE"};
                    script.add(Arrays.copyOf(c, r.nextInt(4) == 0 ? 2 : r.nextInt(3) == 0 ? 4 : 5));
                }
                case 8, 9 -> {
                    String[] c = {"BITPOS", key, Integer.toString(r.nextInt(2)), Integer.toString(r.nextInt(60) - 20),
                        Integer.toString(r.nextInt(3000) - 100), r.nextBoolean() ? "BIT" : "BYTE"};
                    script.add(Arrays.copyOf(c, 3 + r.nextInt(4)));
                }
                case 10 -> {
                    String op = new String[] {"AND", "OR", "XOR", "NOT"}[r.nextInt(4)];
                    int sources = op.equals("NOT") ? 1 : 1 + r.nextInt(3);
                    List<String> c = new ArrayList<>(List.of("BITOP", op, keys[r.nextInt(keys.length)]));
                    for (int i = 0; i < sources; i++) {
                        c.add(keys[r.nextInt(keys.length)]);
                    }
                    script.add(c.toArray(new String[0]));
                }
                case 11, 12, 13 -> {
                    List<String> c = new ArrayList<>(List.of(r.nextInt(5) == 0 ? "BITFIELD_RO" : "BITFIELD", key));
                    for (int i = 0, ops = 1 + r.nextInt(4); i < ops; i++) {
                        String type = types[r.nextInt(types.length)];
                        String at = r.nextInt(4) == 0 ? "#" + r.nextInt(50) : Long.toString(r.nextInt(400));
                        switch (r.nextInt(4)) {
                            case 0 -> c.addAll(List.of("GET", type, at));
                            case 1 -> c.addAll(List.of("SET", type, at, Long.toString(r.nextLong() >> r.nextInt(64))));
                            case 2 -> c.addAll(List.of("INCRBY", type, at, Long.toString(r.nextLong() >> r.nextInt(64))));
                            default -> c.addAll(List.of("OVERFLOW", new String[] {"WRAP", "SAT", "FAIL"}[r.nextInt(3)]));
                        }
                    }
                    script.add(c.toArray(new String[0]));
                }
                case 14 -> script.add(cmd("GET", key));
                case 15 -> script.add(cmd("SET", key, randomString(r)));
                case 16 -> script.add(cmd("DEL", key));
                case 17 -> script.add(r.nextInt(10) == 0 ? cmd("LPUSH", key, "x") : cmd("EXISTS", key));
                case 18 -> script.add(cmd("TYPE", key));
                default -> script.add(cmd("BITCOUNT", key));
            }
        }
        servers.compare(script);
    }

    /** Mostly small offsets, sometimes past a fragment or near the last valid one. */
    private static long offset(Random r) {
        return switch (r.nextInt(20)) {
            case 0 -> 8388607 - r.nextInt(64);
            case 1, 2 -> 8192 * (1 + r.nextInt(20)) + r.nextInt(16) - 8;
            default -> r.nextInt(2000);
        };
    }

    private static String randomString(Random r) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0, n = r.nextInt(12); i < n; i++) {
            sb.append((char) ('!' + r.nextInt(90)));
        }
        return sb.toString();
    }

    private static String[] cmd(String... args) {
        return args;
    }
}
