package dev.basalt.rdb;

import dev.basalt.rdb.RdbValue.HashValue;
import dev.basalt.rdb.RdbValue.ListValue;
import dev.basalt.rdb.RdbValue.ModuleValue;
import dev.basalt.rdb.RdbValue.SetValue;
import dev.basalt.rdb.RdbValue.StreamValue;
import dev.basalt.rdb.RdbValue.StringValue;
import dev.basalt.rdb.RdbValue.ZSetValue;
import dev.basalt.types.StreamId;
import dev.basalt.types.StreamImage;
import dev.basalt.util.Crc64;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Writes values in Redis's serialization format, in encodings every Redis since 5.0 loads: plain
 * strings, lists, sets, hashes and binary-scored sorted sets (Redis converts small ones to its compact
 * encodings as it loads them), and streams as RDB_TYPE_STREAM_LISTPACKS_2, Redis 7.0's own.
 */
final class RdbEncoder {
    /** Entries per stream node, Redis's stream-node-max-entries default. */
    private static final int STREAM_NODE_ENTRIES = 100;
    /** Bytes per stream node before a new one starts, Redis's stream-node-max-bytes default. */
    private static final int STREAM_NODE_BYTES = 4096;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** A DUMP payload: type, value, RDB version (2 bytes) and CRC-64 (8 bytes), both little-endian. */
    static byte[] payload(RdbValue v) {
        RdbEncoder e = new RdbEncoder();
        e.value(v);
        e.out.write(RdbFormat.VERSION & 0xff);
        e.out.write(RdbFormat.VERSION >>> 8);
        byte[] body = e.out.toByteArray();
        long crc = Crc64.of(body, 0, body.length);
        byte[] p = Arrays.copyOf(body, body.length + 8);
        for (int i = 0; i < 8; i++) {
            p[body.length + i] = (byte) (crc >>> (8 * i));
        }
        return p;
    }

    private void value(RdbValue v) {
        switch (v) {
            case StringValue s -> {
                out.write(RdbFormat.STRING);
                string(s.value());
            }
            case ListValue l -> {
                out.write(RdbFormat.LIST);
                length(l.elements().size());
                l.elements().forEach(this::string);
            }
            case SetValue s -> {
                out.write(RdbFormat.SET);
                length(s.members().size());
                s.members().forEach(this::string);
            }
            case HashValue h -> {
                out.write(RdbFormat.HASH);
                length(h.fieldsAndValues().size() / 2);
                h.fieldsAndValues().forEach(this::string);
            }
            case ZSetValue z -> {
                out.write(RdbFormat.ZSET_2);
                length(z.members().size());
                for (int i = 0; i < z.members().size(); i++) {
                    string(z.members().get(i));
                    littleEndian(Double.doubleToRawLongBits(z.scores()[i]), 8);
                }
            }
            case StreamValue s -> {
                out.write(RdbFormat.STREAM_LISTPACKS_2);
                stream(s.image());
            }
            case ModuleValue m -> throw new IllegalArgumentException("module values are not kept: " + m.moduleType());
        }
    }

    private void length(long n) {
        if (n >= 0 && n < 64) {
            out.write((int) n);
        } else if (n >= 0 && n < 16384) {
            out.write(0x40 | (int) (n >>> 8));
            out.write((int) n);
        } else if (n >= 0 && n <= 0xffffffffL) {
            out.write(0x80);
            bigEndian(n, 4);
        } else {
            out.write(0x81);
            bigEndian(n, 8);
        }
    }

    private void bigEndian(long v, int n) {
        for (int i = n - 1; i >= 0; i--) {
            out.write((int) (v >>> (8 * i)));
        }
    }

    private void littleEndian(long v, int n) {
        for (int i = 0; i < n; i++) {
            out.write((int) (v >>> (8 * i)));
        }
    }

    private void string(byte[] s) {
        length(s.length);
        out.writeBytes(s);
    }

    private void id(StreamId id) {
        bigEndian(id.ms(), 8);
        bigEndian(id.seq(), 8);
    }

    private static byte[] idBytes(StreamId id) {
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (id.ms() >>> (56 - 8 * i));
            b[8 + i] = (byte) (id.seq() >>> (56 - 8 * i));
        }
        return b;
    }

    /** rdbSaveObject's stream layout for RDB_TYPE_STREAM_LISTPACKS_2. */
    private void stream(StreamImage s) {
        List<List<StreamImage.Entry>> nodes = nodes(s.entries());
        length(nodes.size());
        for (List<StreamImage.Entry> node : nodes) {
            string(idBytes(node.get(0).id()));
            string(nodeListpack(node));
        }
        List<StreamImage.Entry> entries = s.entries();
        length(entries.size());
        length(s.lastGeneratedId().ms());
        length(s.lastGeneratedId().seq());
        StreamId first = entries.isEmpty() ? StreamId.MIN : entries.get(0).id();
        length(first.ms());
        length(first.seq());
        length(s.maxDeletedEntryId().ms());
        length(s.maxDeletedEntryId().seq());
        length(s.entriesAdded());
        length(s.groups().size());
        for (StreamImage.Group g : s.groups()) {
            string(g.name());
            length(g.lastDeliveredId().ms());
            length(g.lastDeliveredId().seq());
            length(g.entriesRead());
            length(g.pending().size());
            for (StreamImage.Pending p : g.pending()) {
                id(p.id());
                littleEndian(p.deliveryTime(), 8);
                length(p.deliveryCount());
            }
            length(g.consumers().size());
            for (StreamImage.Consumer c : g.consumers()) {
                string(c.name());
                littleEndian(c.seenTime(), 8);
                List<StreamImage.Pending> own = new ArrayList<>();
                for (StreamImage.Pending p : g.pending()) {
                    if (Arrays.equals(p.consumer(), c.name())) {
                        own.add(p);
                    }
                }
                length(own.size());
                for (StreamImage.Pending p : own) {
                    id(p.id());
                }
            }
        }
    }

    /** Cuts the entries into nodes as Redis's limits would (count, then bytes). */
    private static List<List<StreamImage.Entry>> nodes(List<StreamImage.Entry> entries) {
        List<List<StreamImage.Entry>> nodes = new ArrayList<>();
        List<StreamImage.Entry> node = new ArrayList<>();
        long bytes = 0;
        for (StreamImage.Entry e : entries) {
            long size = 0;
            for (byte[] f : e.fieldsAndValues()) {
                size += f.length + 2;
            }
            if (!node.isEmpty() && (node.size() >= STREAM_NODE_ENTRIES || bytes + size > STREAM_NODE_BYTES)) {
                nodes.add(node);
                node = new ArrayList<>();
                bytes = 0;
            }
            node.add(e);
            bytes += size;
        }
        if (!node.isEmpty()) {
            nodes.add(node);
        }
        return nodes;
    }

    /** One node's listpack: the master entry takes the first entry's fields; entries with the same fields store values only. */
    private static byte[] nodeListpack(List<StreamImage.Entry> node) {
        StreamId master = node.get(0).id();
        List<byte[]> masterFields = fields(node.get(0));
        Packed.ListpackWriter lp = new Packed.ListpackWriter();
        lp.addInt(node.size()).addInt(0).addInt(masterFields.size());
        masterFields.forEach(lp::addString);
        lp.addInt(0);
        for (StreamImage.Entry e : node) {
            List<byte[]> fields = fields(e);
            boolean same = sameFields(fields, masterFields);
            lp.addInt(same ? RdbFormat.STREAM_ITEM_SAMEFIELDS : 0);
            lp.addInt(e.id().ms() - master.ms());
            lp.addInt(e.id().seq() - master.seq());
            List<byte[]> fv = e.fieldsAndValues();
            if (same) {
                for (int i = 1; i < fv.size(); i += 2) {
                    lp.addString(fv.get(i));
                }
            } else {
                lp.addInt(fields.size());
                fv.forEach(lp::addString);
            }
            int n = fields.size();
            lp.addInt(same ? n + 3 : n * 2 + 1 + 3);
        }
        return lp.toBytes();
    }

    private static List<byte[]> fields(StreamImage.Entry e) {
        List<byte[]> f = new ArrayList<>();
        for (int i = 0; i < e.fieldsAndValues().size(); i += 2) {
            f.add(e.fieldsAndValues().get(i));
        }
        return f;
    }

    private static boolean sameFields(List<byte[]> a, List<byte[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }
}
