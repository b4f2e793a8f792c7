package dev.basalt.rdb;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a dump.rdb written by redis-server (rdbLoadRioWithLoadingCtx) one key at a time: the
 * "REDIS" + version header, then database selectors, expiry/LRU/LFU prefixes, auxiliary fields and
 * keys, up to EOF and the CRC-64 trailer, which is checked (0 means the file was saved without one).
 * What is not a key Basalt can hold is recorded to be reported: module auxiliary data and function
 * libraries here, module-typed values as {@link RdbValue.ModuleValue}s.
 */
public final class RdbFileReader {
    /** One key: the Redis database it was in, its name, value and absolute expiry (0 = none). */
    public record Key(long db, byte[] name, RdbValue value, long expireAtMs) {
    }

    private final RdbReader in;
    private final int version;
    private final List<String> skippedRecords = new ArrayList<>();
    private long db;
    private boolean done;

    /** Reads and checks the header; RdbFormatException when in is not an RDB file this reader knows. */
    public RdbFileReader(InputStream stream) throws IOException, RdbFormatException {
        this.in = new RdbReader(stream);
        byte[] header;
        try {
            header = in.readBytes(9);
        } catch (EOFException e) {
            throw new RdbFormatException("Wrong signature trying to load DB from file");
        }
        String text = new String(header, StandardCharsets.US_ASCII);
        if (!text.startsWith("REDIS")) {
            throw new RdbFormatException("Wrong signature trying to load DB from file");
        }
        int v;
        try {
            v = Integer.parseInt(text.substring(5));
        } catch (NumberFormatException e) {
            v = -1;
        }
        if (v < 1 || v > RdbFormat.NEWEST_FILE_VERSION) {
            throw new RdbFormatException("Can't handle RDB format version " + text.substring(5));
        }
        this.version = v;
    }

    public int version() {
        return version;
    }

    /** Bytes read so far (for progress reports). */
    public long position() {
        return in.position();
    }

    /** What was skipped that is not a key (function libraries, module auxiliary data), one line each. */
    public List<String> skippedRecords() {
        return skippedRecords;
    }

    /** The next key, or null after EOF (the checksum then verified). */
    public Key next() throws IOException, RdbFormatException {
        if (done) {
            return null;
        }
        long expireAtMs = 0;
        while (true) {
            int type = in.readByte();
            switch (type) {
                case RdbFormat.OPCODE_EXPIRETIME -> expireAtMs = in.readSeconds() * 1000;
                case RdbFormat.OPCODE_EXPIRETIME_MS -> expireAtMs = in.readMillis();
                case RdbFormat.OPCODE_FREQ -> in.readByte();
                case RdbFormat.OPCODE_IDLE -> in.readLength();
                case RdbFormat.OPCODE_SELECTDB -> db = in.readLength();
                case RdbFormat.OPCODE_RESIZEDB -> {
                    in.readLength();
                    in.readLength();
                }
                case RdbFormat.OPCODE_AUX -> {
                    in.readString();
                    in.readString();
                }
                case RdbFormat.OPCODE_MODULE_AUX -> {
                    String module = RdbDecoder.moduleTypeName(in.readLength());
                    in.readLength(); // when_opcode
                    in.readLength(); // when
                    RdbDecoder.skipModuleOpcodes(in);
                    skippedRecords.add("auxiliary data of module type " + module);
                }
                case RdbFormat.OPCODE_FUNCTION2 -> {
                    byte[] code = in.readString();
                    skippedRecords.add("function library " + libraryName(code));
                }
                case RdbFormat.OPCODE_FUNCTION_PRE_GA -> throw new RdbFormatException(
                        "functions in the pre-release format (RDB_OPCODE_FUNCTION) cannot be read");
                case RdbFormat.OPCODE_EOF -> {
                    done = true;
                    checkTrailer();
                    return null;
                }
                default -> {
                    if (!RdbFormat.isObjectType(type)) {
                        throw new RdbFormatException("Invalid or Not supported object type " + type);
                    }
                    byte[] name = in.readString();
                    try {
                        return new Key(db, name, RdbDecoder.read(in, type), expireAtMs);
                    } catch (RuntimeException e) {
                        throw new RdbFormatException("damaged value of key '"
                                + new String(name, StandardCharsets.UTF_8) + "': " + e);
                    }
                }
            }
        }
    }

    /** The "#!lua name=..." line that starts a library's code. */
    private static String libraryName(byte[] code) {
        String text = new String(code, 0, Math.min(code.length, 200), StandardCharsets.UTF_8);
        int nl = text.indexOf('\n');
        String first = nl < 0 ? text : text.substring(0, nl);
        int at = first.indexOf("name=");
        return at < 0 ? "(unnamed)" : first.substring(at + 5).split("\\s")[0];
    }

    private void checkTrailer() throws IOException, RdbFormatException {
        if (version < 5) {
            return;
        }
        long expected = in.crc();
        long stored = in.readTrailer();
        if (stored != 0 && stored != expected) {
            throw new RdbFormatException("Wrong RDB checksum: the file is damaged");
        }
    }
}
