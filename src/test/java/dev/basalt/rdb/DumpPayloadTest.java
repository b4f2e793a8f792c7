package dev.basalt.rdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basalt.types.StreamGroups;
import dev.basalt.types.StreamId;
import dev.basalt.types.StreamImage;
import dev.basalt.util.Crc64;
import dev.basalt.util.Lzf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The payload codec alone: round trips, Redis's CRC, LZF, listpacks, and damaged payloads refused cleanly. */
@Timeout(60)
class DumpPayloadTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<RdbValue> samples() {
        List<byte[]> many = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            many.add(b(i % 2 == 0 ? Integer.toString(i * 1000 - 70000) : "element-" + "x".repeat(i)));
        }
        List<StreamImage.Entry> entries = new ArrayList<>();
        for (int i = 1; i <= 250; i++) {
            entries.add(new StreamImage.Entry(new StreamId(i, i % 3),
                    i % 40 == 0 ? List.of(b("other"), b("v" + i)) : List.of(b("f"), b("v" + i), b("n"), b("" + i))));
        }
        StreamImage stream = new StreamImage(entries, new StreamId(300, 0), new StreamId(5, 0), 260,
                List.of(new StreamImage.Group(b("g"), new StreamId(3, 0), StreamGroups.UNKNOWN,
                        List.of(new StreamImage.Pending(new StreamId(1, 1), b("c1"), 1_700_000_000_000L, 2)),
                        List.of(new StreamImage.Consumer(b("c1"), 1_700_000_000_500L),
                                new StreamImage.Consumer(b("c2"), 5)))));
        return List.of(new RdbValue.StringValue(b("hello")), new RdbValue.StringValue(new byte[0]),
                new RdbValue.ListValue(many), new RdbValue.SetValue(many.subList(0, 100)),
                new RdbValue.HashValue(many.subList(0, 200)),
                new RdbValue.ZSetValue(many.subList(0, 3), new double[] {1.5, Double.NEGATIVE_INFINITY, -0.25}),
                new RdbValue.StreamValue(stream));
    }

    @Test
    void roundTrips() throws Exception {
        for (RdbValue v : samples()) {
            byte[] p = DumpPayload.encode(v);
            assertTrue(DumpPayload.verify(p));
            assertEquals(10, p[p.length - 10]);
            RdbValue back = DumpPayload.decode(p);
            assertArrayEquals(p, DumpPayload.encode(back), v.typeName());
        }
    }

    @Test
    void crcIsRedisCrc64() {
        byte[] check = b("123456789");
        assertEquals(0xe9c6d914c4b8d9caL, Crc64.of(check, 0, check.length));
    }

    @Test
    void lzfStringsExpand() throws Exception {
        // "aaaa...": a literal 'a' then back references, as liblzf writes a run
        byte[] compressed = {0, 'a', (byte) 0xe0, 0x5b, 0x00};
        byte[] out = Lzf.decompress(compressed, 1 + 7 + 0x5b + 2);
        byte[] want = new byte[out.length];
        Arrays.fill(want, (byte) 'a');
        assertArrayEquals(want, out);
        assertThrows(IllegalArgumentException.class, () -> Lzf.decompress(compressed, 10));
        assertThrows(IllegalArgumentException.class, () -> Lzf.decompress(new byte[] {(byte) 0x20, 5}, 4));
    }

    @Test
    void listpackIntegersRoundTrip() throws Exception {
        long[] values = {0, 127, 128, -1, -4096, 4095, 4096, -32768, 32767, 40000, -8388608, 8388607, 1L << 30,
                Integer.MIN_VALUE, 1L << 40, Long.MIN_VALUE, Long.MAX_VALUE};
        Packed.ListpackWriter w = new Packed.ListpackWriter();
        for (long v : values) {
            w.addInt(v);
        }
        w.addString(b("x".repeat(5000))).addString(b("y".repeat(100))).addString(new byte[0]);
        List<byte[]> got = Packed.listpack(w.toBytes());
        for (int i = 0; i < values.length; i++) {
            assertEquals(Long.toString(values[i]), new String(got.get(i), StandardCharsets.US_ASCII));
        }
        assertEquals(5000, got.get(values.length).length);
        assertEquals(0, got.get(values.length + 2).length);
    }

    /** Any byte changed in a payload (its CRC made right again) decodes or is refused: never another failure. */
    @Test
    void damagedPayloadsAreRefusedCleanly() {
        Random rnd = new Random(1414);
        int refused = 0;
        for (RdbValue v : samples()) {
            byte[] good = DumpPayload.encode(v);
            for (int round = 0; round < 400; round++) {
                byte[] body = Arrays.copyOf(good, good.length - 10);
                int flips = 1 + rnd.nextInt(3);
                for (int f = 0; f < flips; f++) {
                    body[rnd.nextInt(body.length)] = (byte) rnd.nextInt(256);
                }
                if (rnd.nextInt(10) == 0) {
                    body = Arrays.copyOf(body, rnd.nextInt(body.length));
                }
                byte[] p = withFooter(body);
                assertTrue(DumpPayload.verify(p));
                try {
                    DumpPayload.decode(p);
                } catch (RdbFormatException e) {
                    refused++;
                }
            }
        }
        assertTrue(refused > 0);
        assertFalse(DumpPayload.verify(new byte[5]));
    }

    private static byte[] withFooter(byte[] body) {
        byte[] p = Arrays.copyOf(body, body.length + 10);
        p[body.length] = 10;
        long crc = Crc64.of(p, 0, body.length + 2);
        for (int i = 0; i < 8; i++) {
            p[body.length + 2 + i] = (byte) (crc >>> (8 * i));
        }
        return p;
    }
}
