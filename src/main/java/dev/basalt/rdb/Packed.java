package dev.basalt.rdb;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Redis's compact encodings found inside RDB strings: ziplist, listpack, intset and zipmap, read into
 * their elements (integers as their decimal text, as Redis hands them out), and listpacks written.
 */
final class Packed {
    private Packed() {
    }

    private static byte[] decimal(long v) {
        return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
    }

    private static int le(byte[] b, int off, int n) {
        return (int) RdbReader.littleEndian(b, off, n);
    }

    private static long signed(long v, int bits) {
        return v << (64 - bits) >> (64 - bits);
    }

    private static byte[] slice(byte[] b, int from, long len) throws RdbFormatException {
        if (len < 0 || from + len > b.length) {
            throw new RdbFormatException("element runs past the end of its container");
        }
        byte[] out = new byte[(int) len];
        System.arraycopy(b, from, out, 0, (int) len);
        return out;
    }

    // ---- ziplist (ziplist.c) ----------------------------------------------------------------------

    static List<byte[]> ziplist(byte[] zl) throws RdbFormatException {
        if (zl.length < 11 || Integer.toUnsignedLong(le(zl, 0, 4)) != zl.length) {
            throw new RdbFormatException("ziplist header does not match its size");
        }
        List<byte[]> out = new ArrayList<>();
        int p = 10;
        try {
            while ((zl[p] & 0xff) != 0xff) {
                p += (zl[p] & 0xff) == 254 ? 5 : 1;
                int enc = zl[p] & 0xff;
                switch (enc >>> 6) {
                    case 0 -> {
                        int len = enc & 0x3f;
                        out.add(slice(zl, p + 1, len));
                        p += 1 + len;
                    }
                    case 1 -> {
                        int len = ((enc & 0x3f) << 8) | (zl[p + 1] & 0xff);
                        out.add(slice(zl, p + 2, len));
                        p += 2 + len;
                    }
                    case 2 -> {
                        if (enc != 0x80) {
                            throw new RdbFormatException("bad ziplist encoding " + enc);
                        }
                        long len = RdbReader.bigEndian(zl, p + 1, 4);
                        out.add(slice(zl, p + 5, len));
                        p += 5 + (int) len;
                    }
                    default -> {
                        switch (enc) {
                            case 0xc0 -> {
                                out.add(decimal(signed(RdbReader.littleEndian(zl, p + 1, 2), 16)));
                                p += 3;
                            }
                            case 0xd0 -> {
                                out.add(decimal(signed(RdbReader.littleEndian(zl, p + 1, 4), 32)));
                                p += 5;
                            }
                            case 0xe0 -> {
                                out.add(decimal(RdbReader.littleEndian(zl, p + 1, 8)));
                                p += 9;
                            }
                            case 0xf0 -> {
                                out.add(decimal(signed(RdbReader.littleEndian(zl, p + 1, 3), 24)));
                                p += 4;
                            }
                            case 0xfe -> {
                                out.add(decimal(zl[p + 1]));
                                p += 2;
                            }
                            default -> {
                                if (enc < 0xf1 || enc > 0xfd) {
                                    throw new RdbFormatException("bad ziplist encoding " + enc);
                                }
                                out.add(decimal((enc & 0x0f) - 1));
                                p += 1;
                            }
                        }
                    }
                }
            }
        } catch (IndexOutOfBoundsException e) {
            throw new RdbFormatException("ziplist runs past its end");
        }
        if (p != zl.length - 1) {
            throw new RdbFormatException("ziplist end marker is not at its end");
        }
        return out;
    }

    // ---- listpack (listpack.c) --------------------------------------------------------------------

    static List<byte[]> listpack(byte[] lp) throws RdbFormatException {
        if (lp.length < 7 || Integer.toUnsignedLong(le(lp, 0, 4)) != lp.length) {
            throw new RdbFormatException("listpack header does not match its size");
        }
        List<byte[]> out = new ArrayList<>();
        int p = 6;
        try {
            while ((lp[p] & 0xff) != 0xff) {
                int b = lp[p] & 0xff;
                int len;
                if ((b & 0x80) == 0) {
                    out.add(decimal(b));
                    len = 1;
                } else if ((b & 0xc0) == 0x80) {
                    int n = b & 0x3f;
                    out.add(slice(lp, p + 1, n));
                    len = 1 + n;
                } else if ((b & 0xe0) == 0xc0) {
                    out.add(decimal(signed(((b & 0x1f) << 8) | (lp[p + 1] & 0xff), 13)));
                    len = 2;
                } else if ((b & 0xf0) == 0xe0) {
                    int n = ((b & 0x0f) << 8) | (lp[p + 1] & 0xff);
                    out.add(slice(lp, p + 2, n));
                    len = 2 + n;
                } else {
                    switch (b) {
                        case 0xf0 -> {
                            long n = Integer.toUnsignedLong(le(lp, p + 1, 4));
                            out.add(slice(lp, p + 5, n));
                            len = 5 + (int) n;
                        }
                        case 0xf1 -> {
                            out.add(decimal(signed(RdbReader.littleEndian(lp, p + 1, 2), 16)));
                            len = 3;
                        }
                        case 0xf2 -> {
                            out.add(decimal(signed(RdbReader.littleEndian(lp, p + 1, 3), 24)));
                            len = 4;
                        }
                        case 0xf3 -> {
                            out.add(decimal(signed(RdbReader.littleEndian(lp, p + 1, 4), 32)));
                            len = 5;
                        }
                        case 0xf4 -> {
                            out.add(decimal(RdbReader.littleEndian(lp, p + 1, 8)));
                            len = 9;
                        }
                        default -> throw new RdbFormatException("bad listpack encoding " + b);
                    }
                }
                p += len + backlenSize(len);
            }
        } catch (IndexOutOfBoundsException e) {
            throw new RdbFormatException("listpack runs past its end");
        }
        if (p != lp.length - 1) {
            throw new RdbFormatException("listpack end marker is not at its end");
        }
        return out;
    }

    private static int backlenSize(int len) {
        if (len <= 127) {
            return 1;
        } else if (len < 16383) {
            return 2;
        } else if (len < 2097151) {
            return 3;
        } else if (len < 268435455) {
            return 4;
        }
        return 5;
    }

    /** Builds a listpack as Redis's lpAppend does: integers in their integer encodings, strings as they are. */
    static final class ListpackWriter {
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private int count;

        ListpackWriter addInt(long v) {
            byte[] e;
            if (v >= 0 && v <= 127) {
                e = new byte[] {(byte) v};
            } else if (v >= -4096 && v <= 4095) {
                long u = v & 0x1fff;
                e = new byte[] {(byte) (0xc0 | (u >>> 8)), (byte) u};
            } else if (v >= -32768 && v <= 32767) {
                e = intEntry(0xf1, v, 2);
            } else if (v >= -8388608 && v <= 8388607) {
                e = intEntry(0xf2, v, 3);
            } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
                e = intEntry(0xf3, v, 4);
            } else {
                e = intEntry(0xf4, v, 8);
            }
            return append(e);
        }

        private static byte[] intEntry(int tag, long v, int n) {
            byte[] e = new byte[1 + n];
            e[0] = (byte) tag;
            for (int i = 0; i < n; i++) {
                e[1 + i] = (byte) (v >>> (8 * i));
            }
            return e;
        }

        ListpackWriter addString(byte[] s) {
            byte[] e;
            int n = s.length;
            if (n < 64) {
                e = new byte[1 + n];
                e[0] = (byte) (0x80 | n);
                System.arraycopy(s, 0, e, 1, n);
            } else if (n < 4096) {
                e = new byte[2 + n];
                e[0] = (byte) (0xe0 | (n >>> 8));
                e[1] = (byte) n;
                System.arraycopy(s, 0, e, 2, n);
            } else {
                e = new byte[5 + n];
                e[0] = (byte) 0xf0;
                for (int i = 0; i < 4; i++) {
                    e[1 + i] = (byte) (n >>> (8 * i));
                }
                System.arraycopy(s, 0, e, 5, n);
            }
            return append(e);
        }

        private ListpackWriter append(byte[] entry) {
            body.writeBytes(entry);
            int l = entry.length;
            if (l <= 127) {
                body.write(l);
            } else if (l < 16383) {
                body.write(l >>> 7);
                body.write((l & 127) | 128);
            } else if (l < 2097151) {
                body.write(l >>> 14);
                body.write(((l >>> 7) & 127) | 128);
                body.write((l & 127) | 128);
            } else if (l < 268435455) {
                body.write(l >>> 21);
                body.write(((l >>> 14) & 127) | 128);
                body.write(((l >>> 7) & 127) | 128);
                body.write((l & 127) | 128);
            } else {
                body.write(l >>> 28);
                body.write(((l >>> 21) & 127) | 128);
                body.write(((l >>> 14) & 127) | 128);
                body.write(((l >>> 7) & 127) | 128);
                body.write((l & 127) | 128);
            }
            count++;
            return this;
        }

        byte[] toBytes() {
            int total = 6 + body.size() + 1;
            byte[] out = new byte[total];
            for (int i = 0; i < 4; i++) {
                out[i] = (byte) (total >>> (8 * i));
            }
            int n = Math.min(count, 65535);
            out[4] = (byte) n;
            out[5] = (byte) (n >>> 8);
            byte[] b = body.toByteArray();
            System.arraycopy(b, 0, out, 6, b.length);
            out[total - 1] = (byte) 0xff;
            return out;
        }
    }

    // ---- intset (intset.c) ------------------------------------------------------------------------

    static List<byte[]> intset(byte[] is) throws RdbFormatException {
        if (is.length < 8) {
            throw new RdbFormatException("intset too short");
        }
        int enc = le(is, 0, 4);
        long n = Integer.toUnsignedLong(le(is, 4, 4));
        if (enc != 2 && enc != 4 && enc != 8 || 8 + n * enc != is.length) {
            throw new RdbFormatException("intset header does not match its size");
        }
        List<byte[]> out = new ArrayList<>((int) n);
        for (int i = 0; i < n; i++) {
            out.add(decimal(signed(RdbReader.littleEndian(is, 8 + i * enc, enc), enc * 8)));
        }
        return out;
    }

    // ---- zipmap (zipmap.c, Redis before 2.6) ------------------------------------------------------

    static List<byte[]> zipmap(byte[] zm) throws RdbFormatException {
        List<byte[]> out = new ArrayList<>();
        int p = 1;
        try {
            while ((zm[p] & 0xff) != 0xff) {
                for (int part = 0; part < 2; part++) {
                    int b = zm[p] & 0xff;
                    long len;
                    if (b < 254) {
                        len = b;
                        p += 1;
                    } else if (b == 254) {
                        len = Integer.toUnsignedLong(le(zm, p + 1, 4));
                        p += 5;
                    } else {
                        throw new RdbFormatException("zipmap entry ends early");
                    }
                    int free = 0;
                    if (part == 1) {
                        free = zm[p] & 0xff;
                        p += 1;
                    }
                    out.add(slice(zm, p, len));
                    p += (int) len + free;
                }
            }
        } catch (IndexOutOfBoundsException e) {
            throw new RdbFormatException("zipmap runs past its end");
        }
        return out;
    }
}
