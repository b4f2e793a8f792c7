package dev.basalt.rdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basalt.storage.Txn;
import dev.basalt.testutil.TempStorage;
import dev.basalt.types.HashType;
import dev.basalt.types.Keyspace;
import dev.basalt.types.ListType;
import dev.basalt.types.SetType;
import dev.basalt.types.StreamGroups;
import dev.basalt.types.StreamId;
import dev.basalt.types.StreamImage;
import dev.basalt.types.StreamMetadata;
import dev.basalt.types.StringType;
import dev.basalt.types.ZSetType;
import dev.basalt.util.Crc64;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * RDB import of files written here byte by byte, for what redis-server 7.0 without modules cannot be
 * made to write: module values and module data (skipped and counted), expired keys, damaged files, and
 * the old encodings (zipmap, ziplist, quicklist 1, string scores) of Redis before 7.0.
 */
@Timeout(60)
class RdbImportTest {
    @RegisterExtension
    final TempStorage temp = new TempStorage();

    /** Writes RDB primitives as Redis's rdb.c does. */
    private static final class Rdb {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Rdb(int version) {
            out.writeBytes(String.format("REDIS%04d", version).getBytes(StandardCharsets.US_ASCII));
        }

        Rdb op(int b) {
            out.write(b);
            return this;
        }

        Rdb len(long n) {
            if (n < 64) {
                out.write((int) n);
            } else if (n < 16384) {
                out.write(0x40 | (int) (n >> 8));
                out.write((int) n);
            } else {
                out.write(0x81);
                for (int i = 7; i >= 0; i--) {
                    out.write((int) (n >>> (8 * i)));
                }
            }
            return this;
        }

        Rdb str(String s) {
            return bytes(s.getBytes(StandardCharsets.UTF_8));
        }

        Rdb bytes(byte[] b) {
            len(b.length);
            out.writeBytes(b);
            return this;
        }

        Rdb le(long v, int n) {
            for (int i = 0; i < n; i++) {
                out.write((int) (v >>> (8 * i)));
            }
            return this;
        }

        /** EOF and the CRC-64 trailer (0 = "saved without checksum"). */
        byte[] end(boolean checksum) {
            out.write(0xff);
            byte[] body = out.toByteArray();
            long crc = checksum ? Crc64.of(body, 0, body.length) : 0;
            Rdb t = new Rdb(0);
            t.out.reset();
            t.le(crc, 8);
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            all.writeBytes(body);
            all.writeBytes(t.out.toByteArray());
            return all.toByteArray();
        }
    }

    private static long moduleId(String name, int encver) {
        String chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        long id = 0;
        for (char c : name.toCharArray()) {
            id = (id << 6) | chars.indexOf(c);
        }
        return (id << 10) | encver;
    }

    private Path file(byte[] content) throws Exception {
        Path p = temp.dir().resolve("test.rdb");
        Files.write(p, content);
        return p;
    }

    private RdbImport.Counts load(byte[] content, long db, boolean nx) throws Exception {
        return new RdbImport(temp.storage(), "__namespace", keys -> { }, keys -> { }).load(file(content), db, nx);
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] ziplist(List<Object> items) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int prev = 0;
        for (Object o : items) {
            ByteArrayOutputStream e = new ByteArrayOutputStream();
            e.write(prev);
            if (o instanceof Integer i) {
                e.write(0xfe); // int8
                e.write(i);
            } else {
                byte[] s = b((String) o);
                e.write(s.length); // 6-bit string length
                e.writeBytes(s);
            }
            byte[] entry = e.toByteArray();
            body.writeBytes(entry);
            prev = entry.length;
        }
        int total = 10 + body.size() + 1;
        ByteArrayOutputStream zl = new ByteArrayOutputStream();
        for (int i = 0; i < 4; i++) {
            zl.write(total >>> (8 * i));
        }
        for (int i = 0; i < 4; i++) {
            zl.write(0); // tail offset: not read
        }
        zl.write(items.size());
        zl.write(0);
        zl.writeBytes(body.toByteArray());
        zl.write(0xff);
        return zl.toByteArray();
    }

    @Test
    void skipsAndCountsWhatBasaltCannotHold() throws Exception {
        long now = System.currentTimeMillis();
        Rdb r = new Rdb(10);
        r.op(RdbFormat.OPCODE_AUX).str("redis-ver").str("7.0.15");
        r.op(RdbFormat.OPCODE_MODULE_AUX).len(moduleId("auxmodule", 2)).len(2).len(1)
                .len(RdbFormat.MODULE_OPCODE_UINT).len(7).len(RdbFormat.MODULE_OPCODE_EOF);
        r.op(RdbFormat.OPCODE_FUNCTION2).str("#!lua name=mylib\nredis.register_function('f', function() return 1 end)");
        r.op(RdbFormat.OPCODE_SELECTDB).len(0).op(RdbFormat.OPCODE_RESIZEDB).len(6).len(2);
        r.op(RdbFormat.STRING).str("plain").str("v");
        r.op(RdbFormat.OPCODE_EXPIRETIME_MS).le(now - 1000, 8).op(RdbFormat.STRING).str("expired").str("x");
        r.op(RdbFormat.OPCODE_EXPIRETIME_MS).le(now + 3_600_000, 8).op(RdbFormat.STRING).str("future").str("y");
        r.op(RdbFormat.OPCODE_IDLE).len(1234).op(RdbFormat.OPCODE_FREQ).op(5);
        r.op(RdbFormat.STRING).str("after-expiry").str("z"); // the expiry of a key does not carry to the next
        r.op(RdbFormat.MODULE_2).str("bloom").len(moduleId("MBbloom--", 3))
                .len(RdbFormat.MODULE_OPCODE_UINT).len(100).len(RdbFormat.MODULE_OPCODE_DOUBLE).le(0, 8)
                .len(RdbFormat.MODULE_OPCODE_FLOAT).le(0, 4).len(RdbFormat.MODULE_OPCODE_SINT).len(3)
                .len(RdbFormat.MODULE_OPCODE_STRING).str("bits").len(RdbFormat.MODULE_OPCODE_EOF);
        r.op(RdbFormat.LIST).str("empty-list").len(0);
        r.op(RdbFormat.OPCODE_SELECTDB).len(1).op(RdbFormat.STRING).str("db1").str("w");
        byte[] file = r.end(true);
        RdbImport.Counts c = load(file, 0, false);
        assertEquals(new RdbImport.Counts(3, 1, 1, 1, 0, 1, 2), c);
        try (Txn txn = temp.storage().begin("__namespace")) {
            Keyspace ks = new Keyspace(txn);
            assertArrayEquals(b("v"), new StringType(txn).get(b("plain")));
            assertEquals(now + 3_600_000, ks.expireTimeMs(b("future")));
            assertEquals(-1, ks.expireTimeMs(b("after-expiry")));
            assertTrue(!ks.exists(b("expired")) && !ks.exists(b("bloom")) && !ks.exists(b("db1")));
        }
        // DB 1 only, NX: the key there is new
        assertEquals(1, load(file, 1, true).loaded());
    }

    @Test
    void nxLeavesExistingKeys() throws Exception {
        Rdb r = new Rdb(9);
        r.op(RdbFormat.STRING).str("a").str("new").op(RdbFormat.STRING).str("b").str("new");
        byte[] file = r.end(true);
        load(file, 0, false);
        try (Txn txn = temp.storage().begin("__namespace")) {
            new StringType(txn).set(b("a"), b("mine"), 0);
            new Keyspace(txn).deleteKeys(List.of(b("b")));
            temp.storage().commit(txn);
        }
        RdbImport.Counts c = load(file, 0, true);
        assertEquals(1, c.existing());
        assertEquals(1, c.loaded());
        try (Txn txn = temp.storage().begin("__namespace")) {
            assertArrayEquals(b("mine"), new StringType(txn).get(b("a")));
        }
    }

    @Test
    void damagedFilesAreRefused() throws Exception {
        Rdb r = new Rdb(10);
        r.op(RdbFormat.STRING).str("a").str("v");
        byte[] good = r.end(true);
        byte[] bad = good.clone();
        bad[bad.length - 3] ^= 1;
        RdbFormatException e = assertThrows(RdbFormatException.class, () -> load(bad, 0, false));
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
        // a file saved without a checksum (rdbchecksum no) is read without checking it
        assertEquals(1, load(new Rdb(10).op(RdbFormat.STRING).str("a").str("v").end(false), 0, false).loaded());
        assertThrows(RdbFormatException.class, () -> load(b("NOTREDIS00"), 0, false));
        assertThrows(RdbFormatException.class, () -> load(new Rdb(12).end(true), 0, false));
        byte[] truncated = Arrays.copyOf(good, good.length - 12);
        assertThrows(EOFException.class, () -> load(truncated, 0, false));
    }

    @Test
    void oldEncodings() throws Exception {
        Rdb r = new Rdb(6);
        // zipmap hash (Redis < 2.6): zmlen, then key len, key, value len, free, value, ..., 0xff
        ByteArrayOutputStream zm = new ByteArrayOutputStream();
        zm.write(2);
        for (String[] kv : new String[][] {{"f1", "v1"}, {"f2", "value2"}}) {
            zm.write(kv[0].length());
            zm.writeBytes(b(kv[0]));
            zm.write(kv[1].length());
            zm.write(1); // one free byte after the value
            zm.writeBytes(b(kv[1]));
            zm.write(0);
        }
        zm.write(0xff);
        r.op(RdbFormat.HASH_ZIPMAP).str("zipmap").bytes(zm.toByteArray());
        r.op(RdbFormat.LIST_ZIPLIST).str("ziplist").bytes(ziplist(List.of("a", 7, "b")));
        r.op(RdbFormat.LIST_QUICKLIST).str("quicklist").len(2).bytes(ziplist(List.of("x", "y")))
                .bytes(ziplist(List.of(-3)));
        r.op(RdbFormat.ZSET).str("zset1").len(2).str("m").op(3).out.writeBytes(b("1.5"));
        r.str("n").op(254);
        r.op(RdbFormat.ZSET).str("zset-more").len(0); // empty: skipped
        RdbImport.Counts c = load(r.end(true), 0, false);
        assertEquals(4, c.loaded());
        assertEquals(1, c.empty());
        try (Txn txn = temp.storage().begin("__namespace")) {
            List<String> list = new ArrayList<>();
            new ListType(txn).range(b("ziplist"), 0, -1).forEach(e -> list.add(new String(e, StandardCharsets.UTF_8)));
            assertEquals(List.of("a", "7", "b"), list);
            List<String> q = new ArrayList<>();
            new ListType(txn).range(b("quicklist"), 0, -1).forEach(e -> q.add(new String(e, StandardCharsets.UTF_8)));
            assertEquals(List.of("x", "y", "-3"), q);
            assertArrayEquals(b("value2"), new HashType(txn).get(b("zipmap"), b("f2")));
            assertEquals(Double.POSITIVE_INFINITY, new ZSetType(txn).score(b("zset1"), b("n")));
            assertEquals(1.5, new ZSetType(txn).score(b("zset1"), b("m")));
            assertNull(new ZSetType(txn).score(b("zset1"), b("x")));
        }
    }

    private static byte[] id(long ms, long seq) {
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (ms >>> (56 - 8 * i));
            b[8 + i] = (byte) (seq >>> (56 - 8 * i));
        }
        return b;
    }

    /** A stream saved by Redis 5 or 6 (RDB_TYPE_STREAM_LISTPACKS): entries-added and group read counters estimated. */
    @Test
    void streamsFromBeforeRedis7() throws Exception {
        Packed.ListpackWriter lp = new Packed.ListpackWriter();
        lp.addInt(2).addInt(0).addInt(1).addString(b("f")).addInt(0); // master entry: 2 live, fields [f]
        lp.addInt(RdbFormat.STREAM_ITEM_SAMEFIELDS).addInt(0).addInt(0).addString(b("v1")).addInt(4);
        lp.addInt(0).addInt(1).addInt(0).addInt(1).addString(b("g")).addString(b("w")).addInt(6);
        lp.addInt(RdbFormat.STREAM_ITEM_DELETED | RdbFormat.STREAM_ITEM_SAMEFIELDS).addInt(1).addInt(1)
                .addString(b("gone")).addInt(4);
        Rdb r = new Rdb(9);
        r.op(RdbFormat.STREAM_LISTPACKS).str("s").len(1).bytes(id(1, 0)).bytes(lp.toBytes());
        r.len(2).len(2).len(0); // length, last ID 2-0
        r.len(1).str("grp").len(1).len(0); // one group, last delivered 1-0
        r.len(1).out.writeBytes(id(1, 0));
        r.le(1_600_000_000_000L, 8).len(3); // its pending entry: delivery time, count
        r.len(1).str("c").le(1_600_000_000_500L, 8).len(1).out.writeBytes(id(1, 0));
        assertEquals(1, load(r.end(true), 0, false).loaded());
        try (Txn txn = temp.storage().begin("__namespace")) {
            StreamGroups groups = new StreamGroups(txn);
            StreamMetadata m = groups.streams().metadata(b("s"));
            StreamImage img = groups.image(b("s"), m);
            assertEquals(2, img.entries().size());
            assertEquals(List.of("f", "v1"), strings(img.entries().get(0).fieldsAndValues()));
            assertEquals(List.of("g", "w"), strings(img.entries().get(1).fieldsAndValues()));
            assertEquals(new StreamId(2, 0), m.lastGeneratedId());
            assertEquals(2, m.entriesAdded());
            StreamImage.Group g = img.groups().get(0);
            assertEquals(1, g.entriesRead(), "the group's last ID is the first entry's: one entry read");
            assertEquals(3, g.pending().get(0).deliveryCount());
            assertEquals(1_600_000_000_000L, g.pending().get(0).deliveryTime());
            assertArrayEquals(b("c"), g.pending().get(0).consumer());
            assertEquals(1_600_000_000_500L, g.consumers().get(0).seenTime());
        }
    }

    /** Redis 7.2's RDB 11: sets as listpacks, streams whose consumers carry an active time. */
    @Test
    void redis72Encodings() throws Exception {
        Packed.ListpackWriter set = new Packed.ListpackWriter().addString(b("a")).addInt(5).addString(b("b"));
        Packed.ListpackWriter lp = new Packed.ListpackWriter();
        lp.addInt(1).addInt(0).addInt(1).addString(b("f")).addInt(0);
        lp.addInt(RdbFormat.STREAM_ITEM_SAMEFIELDS).addInt(0).addInt(0).addString(b("v")).addInt(4);
        Rdb r = new Rdb(11);
        r.op(RdbFormat.SET_LISTPACK).str("set").bytes(set.toBytes());
        r.op(RdbFormat.STREAM_LISTPACKS_3).str("s").len(1).bytes(id(7, 0)).bytes(lp.toBytes());
        r.len(1).len(7).len(0).len(7).len(0).len(0).len(0).len(1); // length, last, first, max deleted, added
        r.len(1).str("g").len(7).len(0).len(1).len(0); // group: last delivered 7-0, entries read 1, no PEL
        r.len(1).str("c").le(1000, 8).le(2000, 8).len(0); // consumer: seen time, active time, no PEL
        assertEquals(2, load(r.end(true), 0, false).loaded());
        try (Txn txn = temp.storage().begin("__namespace")) {
            List<String> members = strings(new SetType(txn).members(b("set")));
            assertEquals(List.of("5", "a", "b"), members);
            StreamGroups groups = new StreamGroups(txn);
            StreamImage img = groups.image(b("s"), groups.streams().metadata(b("s")));
            assertEquals(new StreamId(7, 0), img.entries().get(0).id());
            assertEquals(1, img.groups().get(0).entriesRead());
            assertEquals(1000, img.groups().get(0).consumers().get(0).seenTime());
        }
    }

    private static List<String> strings(List<byte[]> items) {
        List<String> out = new ArrayList<>();
        items.forEach(i -> out.add(new String(i, StandardCharsets.UTF_8)));
        return out;
    }
}
