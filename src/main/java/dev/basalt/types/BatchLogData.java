package dev.basalt.types;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Kvrocks's WriteBatchLogData (src/storage/redis_db.h, Encode in redis_db.cc): the blob every write
 * operation puts in its batch before its writes, so that Kvrocks's batch extractor
 * (src/storage/batch_extractor.cc, used by kvrocks2redis and slot migration) knows what the writes
 * mean. It is the decimal type code, then each argument after one space; lists, bitmaps and EXPIRE add a
 * command code and the arguments the writes alone do not carry, XSETID its name.
 */
final class BatchLogData {
    /** Kvrocks's kRedisNone: generic key operations (DEL, EXPIRE). */
    static final int NO_TYPE = 0;

    private BatchLogData() {
    }

    /** Kvrocks's RedisCommand codes (src/storage/redis_metadata.h), the first argument where one is recorded. */
    enum Command {
        LSET(0), LINSERT(1), LTRIM(2), LPOP(3), RPOP(4), LREM(5), LPUSH(6), RPUSH(7), EXPIRE(8), SETBIT(9), BITOP(10),
        BITFIELD(11), LMOVE(12);

        private final int code;

        Command(int code) {
            this.code = code;
        }

        byte[] arg() {
            return decimal(code);
        }
    }

    /** The one argument Kvrocks's Stream::SetId records (every other stream write records none). */
    static final byte[] XSETID = "XSETID".getBytes(StandardCharsets.US_ASCII);

    /** {@code to_string(type)}, then {@code " " + arg} for each argument. */
    static byte[] encode(int typeCode, byte[]... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(decimal(typeCode));
        for (byte[] arg : args) {
            out.write(' ');
            out.writeBytes(arg);
        }
        return out.toByteArray();
    }

    static byte[] decimal(long n) {
        return Long.toString(n).getBytes(StandardCharsets.US_ASCII);
    }
}
