package dev.basalt.types;

import dev.basalt.protocol.ErrorReply;
import dev.basalt.storage.StorageException;
import dev.basalt.storage.Txn;
import dev.basalt.util.LongDouble;
import dev.basalt.util.RedisNumbers;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Strings: one metadata-CF entry per key holding flags, expiry and the value itself (Kvrocks's
 * layout). Reads and writes go through the command's {@link Txn}; only {@link #TYPE}
 * counts as a string.
 */
public final class StringType {
    public static final String OVERFLOW = "ERR increment or decrement would overflow";
    public static final String NOT_FINITE = "ERR increment would produce NaN or Infinity";
    public static final String TOO_LONG = "ERR string exceeds maximum allowed size (proto-max-bulk-len)";
    public static final String LCS_WRONGTYPE = "ERR The specified keys must contain string values";

    /** SET's NX / XX condition. */
    public enum Condition {
        ALWAYS, IF_ABSENT, IF_PRESENT
    }

    /**
     * What SET answers with: whether the value was written, and the previous string value (only
     * looked up, WRONGTYPE included, when the caller asked for it).
     */
    public record SetOutcome(boolean written, byte[] previous) {
    }

    /** Strings as the registry knows them: values stored whole in their metadata entry. */
    public static final DataType<StringMetadata> TYPE = DataType.define(1, "string", StringMetadata.class)
            .layout(StringMetadata::read).mayBeEmpty()
            .objectEncoding((txn, key, m) -> encodingOf(m.value())).build();

    /** Redis 7.0's embstr limit: longer strings are "raw". */
    private static final int EMBSTR_LIMIT = 44;

    private final Txn txn;
    private final Keyspace keyspace;

    public StringType(Txn txn) {
        this.txn = txn;
        this.keyspace = new Keyspace(txn);
    }

    /** Redis's string encodings: "int" for a canonical 64-bit integer, "embstr" up to 44 bytes, else "raw". */
    public static String encodingOf(byte[] v) {
        if (v.length <= 20 && RedisNumbers.isLong(v)) {
            return "int";
        }
        return v.length <= EMBSTR_LIMIT ? "embstr" : "raw";
    }

    /** The live string's metadata, or null; WRONGTYPE for other types. */
    private StringMetadata lookup(byte[] key) throws StorageException, ErrorReply {
        return keyspace.metadata(key, TYPE);
    }

    /** Kvrocks's log data of a string write (String::updateRawValue, MSet), before the writes. */
    private void log() throws StorageException {
        keyspace.log(TYPE.code());
    }

    /** Writes the value with an absolute expiry (0 = none); an expiry already past deletes the key. */
    private void write(byte[] key, byte[] value, long expireAtMs, boolean mayHoldOtherData) throws StorageException {
        if (expireAtMs != 0 && expireAtMs <= txn.nowMs()) {
            keyspace.delete(key);
            return;
        }
        if (mayHoldOtherData) {
            keyspace.prepareOverwrite(key);
        }
        keyspace.putMetadata(key, new StringMetadata(expireAtMs, value));
    }

    /** GET: the value, or null when the key does not exist. */
    public byte[] get(byte[] key) throws StorageException, ErrorReply {
        StringMetadata m = lookup(key);
        return m == null ? null : m.value();
    }

    /**
     * GET as the command answers it: a string's value, or for a bitmap its bits as the string Redis would
     * hold (Kvrocks's GET), refused past maxBitmapBytes (max-bitmap-to-string-mb); null when absent.
     */
    public byte[] get(byte[] key, long maxBitmapBytes) throws StorageException, ErrorReply {
        Metadata m = keyspace.metadata(key);
        return m == null ? null : readable(key, m, maxBitmapBytes);
    }

    /** A string's value or a bitmap's bits as a string; WRONGTYPE for other types. */
    private byte[] readable(byte[] key, Metadata m, long maxBitmapBytes) throws StorageException, ErrorReply {
        if (m instanceof StringMetadata s) {
            return s.value();
        }
        if (m.type() == BitmapType.TYPE) {
            return new BitmapType(txn).asString(key, (CollectionMetadata) m, maxBitmapBytes);
        }
        throw ErrorReply.wrongType();
    }

    /** MGET: each key's value; null for missing keys and for keys of other types. */
    public List<byte[]> mget(List<byte[]> keys) throws StorageException {
        List<byte[]> out = new ArrayList<>(keys.size());
        for (byte[] key : keys) {
            Metadata m = keyspace.metadata(key);
            out.add(m instanceof StringMetadata s ? s.value() : null);
        }
        return out;
    }

    /** Unix ms at which the live string expires, 0 without expiry or when absent. */
    public long expireAtMs(byte[] key) throws StorageException, ErrorReply {
        StringMetadata m = lookup(key);
        return m == null ? 0 : m.expireAtMs();
    }

    /**
     * SET with its options. expireAtMs is absolute (0 = no expiry); keepTtl keeps the current one.
     * With returnPrevious the old value is read first (WRONGTYPE if the key holds another type);
     * NX/XX look at keys of any type, and the new string replaces whatever the key held.
     */
    public SetOutcome set(byte[] key, byte[] value, Condition condition, long expireAtMs, boolean keepTtl,
            boolean returnPrevious) throws StorageException, ErrorReply {
        byte[] previous = null;
        Metadata existing;
        if (returnPrevious) {
            StringMetadata old = lookup(key);
            existing = old;
            previous = old == null ? null : old.value();
        } else {
            existing = keyspace.metadata(key);
        }
        boolean found = existing != null;
        if ((condition == Condition.IF_ABSENT && found) || (condition == Condition.IF_PRESENT && !found)) {
            return new SetOutcome(false, previous);
        }
        long expiry = keepTtl ? (found ? existing.expireAtMs() : 0) : expireAtMs;
        log();
        write(key, value, expiry, true);
        return new SetOutcome(true, previous);
    }

    /** A plain SET: replaces whatever the key held, with an absolute expiry (0 = none). */
    public void set(byte[] key, byte[] value, long expireAtMs) throws StorageException {
        log();
        write(key, value, expireAtMs, true);
    }

    /** SETNX: true when the key did not exist and now holds value. */
    public boolean setIfAbsent(byte[] key, byte[] value) throws StorageException, ErrorReply {
        return set(key, value, Condition.IF_ABSENT, 0, false, false).written();
    }

    /** MSET: pairs of key, value; later pairs win over earlier ones for the same key. */
    public void mset(List<byte[]> keysAndValues) throws StorageException {
        log();
        for (int i = 0; i + 1 < keysAndValues.size(); i += 2) {
            write(keysAndValues.get(i), keysAndValues.get(i + 1), 0, true);
        }
    }

    /** MSETNX: writes every pair only if none of the keys exists (any type); true when written. */
    public boolean msetIfNoneExist(List<byte[]> keysAndValues) throws StorageException {
        for (int i = 0; i < keysAndValues.size(); i += 2) {
            if (keyspace.exists(keysAndValues.get(i))) {
                return false;
            }
        }
        mset(keysAndValues);
        return true;
    }

    /** GETSET: the old value (null if none); the new value has no expiry. */
    public byte[] getSet(byte[] key, byte[] value) throws StorageException, ErrorReply {
        StringMetadata m = lookup(key);
        log();
        write(key, value, 0, m == null);
        return m == null ? null : m.value();
    }

    /** GETDEL: the value, deleting the key; null (and nothing deleted) when absent. */
    public byte[] getDel(byte[] key) throws StorageException, ErrorReply {
        StringMetadata m = lookup(key);
        if (m == null) {
            return null;
        }
        log();
        keyspace.delete(key);
        return m.value();
    }

    /** An expiry computed (and validated) only when it is needed. */
    @FunctionalInterface
    public interface ExpiryResolver {
        /** Absolute Unix ms. */
        long expireAtMs() throws ErrorReply;
    }

    /**
     * GETEX: the value (null if absent). A newExpiry (resolved only once the key is known to be a
     * live string, where Redis validates it) sets that absolute expiry, deleting the key if already
     * past; persist drops the expiry; with neither the key is left untouched. A bitmap answers as for
     * {@link #get(byte[], long)}.
     */
    public byte[] getEx(byte[] key, ExpiryResolver newExpiry, boolean persist, long maxBitmapBytes)
            throws StorageException, ErrorReply {
        Metadata found = keyspace.metadata(key);
        if (found == null) {
            return null;
        }
        if (!(found instanceof StringMetadata m)) {
            // A bitmap (as Kvrocks's GETEX): its bits as a string, and the expiry change of EXPIRE or PERSIST.
            byte[] value = readable(key, found, maxBitmapBytes);
            if (newExpiry != null) {
                keyspace.expire(key, newExpiry.expireAtMs(), 0);
            } else if (persist) {
                keyspace.persist(key);
            }
            return value;
        }
        if (newExpiry != null) {
            long at = newExpiry.expireAtMs();
            log();
            write(key, m.value(), at, false);
        } else if (persist && m.hasExpiry()) {
            log();
            keyspace.putMetadata(key, m.withExpireAtMs(0));
        }
        return m.value();
    }

    /** STRLEN: the value's length, 0 when absent. */
    public long strlen(byte[] key) throws StorageException, ErrorReply {
        StringMetadata m = lookup(key);
        return m == null ? 0 : m.value().length;
    }

    /** APPEND: the new length. The result may not exceed maxLength (proto-max-bulk-len). */
    public long append(byte[] key, byte[] suffix, long maxLength) throws StorageException, ErrorReply {
        StringMetadata m = lookup(key);
        if (m == null) {
            log();
            write(key, suffix, 0, true);
            return suffix.length;
        }
        byte[] old = m.value();
        if (tooLong((long) old.length + suffix.length, maxLength)) {
            throw new ErrorReply(TOO_LONG);
        }
        byte[] joined = Arrays.copyOf(old, old.length + suffix.length);
        System.arraycopy(suffix, 0, joined, old.length, suffix.length);
        log();
        keyspace.putMetadata(key, m.withValue(joined));
        return joined.length;
    }

    /** Past proto-max-bulk-len, or past what a Java array can hold. */
    private static boolean tooLong(long length, long maxLength) {
        return length > maxLength || length > Integer.MAX_VALUE - 8;
    }

    /** INCRBY and friends: the new value; the expiry is kept. */
    public long incrBy(byte[] key, long delta) throws StorageException, ErrorReply {
        StringMetadata m = lookup(key);
        long current = 0;
        if (m != null) {
            try {
                current = RedisNumbers.parseLong(m.value());
            } catch (NumberFormatException e) {
                throw ErrorReply.notInteger();
            }
        }
        if ((delta < 0 && current < 0 && delta < Long.MIN_VALUE - current)
                || (delta > 0 && current > 0 && delta > Long.MAX_VALUE - current)) {
            throw new ErrorReply(OVERFLOW);
        }
        long result = current + delta;
        store(key, m, Long.toString(result).getBytes(StandardCharsets.US_ASCII));
        return result;
    }

    /**
     * INCRBYFLOAT: the new value in Redis's text form, which is also what gets stored. As in Redis the
     * type is checked first, then the stored value, then the increment argument.
     */
    public String incrByFloat(byte[] key, byte[] incrementArg) throws StorageException, ErrorReply {
        StringMetadata m = lookup(key);
        LongDouble current = LongDouble.ZERO;
        if (m != null) {
            current = LongDouble.parse(m.value());
            if (current == null) {
                throw ErrorReply.notFloat();
            }
        }
        LongDouble increment = LongDouble.parse(incrementArg);
        if (increment == null) {
            throw ErrorReply.notFloat();
        }
        LongDouble sum = current.add(increment);
        if (sum.isInfinite()) {
            throw new ErrorReply(NOT_FINITE);
        }
        String text = sum.toHumanString();
        store(key, m, text.getBytes(StandardCharsets.US_ASCII));
        return text;
    }

    /** Replaces a live string's value keeping its expiry, or creates the key without one. */
    private void store(byte[] key, StringMetadata existing, byte[] value) throws StorageException {
        log();
        if (existing == null) {
            write(key, value, 0, true);
        } else {
            keyspace.putMetadata(key, existing.withValue(value));
        }
    }

    /** GETRANGE/SUBSTR: the bytes from start to end inclusive (negative = from the end), clamped. */
    public byte[] getRange(byte[] key, long start, long end) throws StorageException, ErrorReply {
        StringMetadata m = lookup(key);
        if (m == null) {
            return new byte[0];
        }
        return range(m.value(), start, end);
    }

    static byte[] range(byte[] v, long start, long end) {
        long len = v.length;
        if (start < 0 && end < 0 && start > end) {
            return new byte[0];
        }
        if (start < 0) {
            start = len + start;
        }
        if (end < 0) {
            end = len + end;
        }
        if (start < 0) {
            start = 0;
        }
        if (end < 0) {
            end = 0;
        }
        if (end >= len) {
            end = len - 1;
        }
        if (start > end || len == 0) {
            return new byte[0];
        }
        return Arrays.copyOfRange(v, (int) start, (int) end + 1);
    }

    /**
     * SETRANGE: overwrites from offset (zero-padding as needed); the new length. An empty value
     * writes nothing. The result may not exceed maxLength (proto-max-bulk-len).
     */
    public long setRange(byte[] key, long offset, byte[] value, long maxLength) throws StorageException, ErrorReply {
        StringMetadata m = lookup(key);
        byte[] old = m == null ? new byte[0] : m.value();
        if (value.length == 0) {
            return old.length;
        }
        if (offset > Long.MAX_VALUE - value.length || tooLong(offset + value.length, maxLength)) {
            throw new ErrorReply(TOO_LONG);
        }
        int newLength = (int) Math.max(old.length, offset + value.length);
        byte[] updated = Arrays.copyOf(old, newLength);
        System.arraycopy(value, 0, updated, (int) offset, value.length);
        store(key, m, updated);
        return newLength;
    }

    /**
     * Kvrocks's CAS: if the string equals expected, replaces it with value and the given absolute
     * expiry (0 = none; the old expiry is not kept). 1 swapped, 0 different value, -1 no such key.
     */
    public int compareAndSet(byte[] key, byte[] expected, byte[] value, long expireAtMs)
            throws StorageException, ErrorReply {
        StringMetadata m = lookup(key);
        if (m == null) {
            return -1;
        }
        if (!Arrays.equals(m.value(), expected)) {
            return 0;
        }
        log();
        write(key, value, expireAtMs, false);
        return 1;
    }

    /** Kvrocks's CAD: deletes the key if its string equals expected. 1 deleted, 0 different, -1 no such key. */
    public int compareAndDelete(byte[] key, byte[] expected) throws StorageException, ErrorReply {
        StringMetadata m = lookup(key);
        if (m == null) {
            return -1;
        }
        if (!Arrays.equals(m.value(), expected)) {
            return 0;
        }
        log();
        keyspace.delete(key);
        return 1;
    }

    /** LCS's operand: the string value, "" when absent, LCS's own error for other types. */
    public byte[] lcsOperand(byte[] key) throws StorageException, ErrorReply {
        Metadata m = keyspace.metadata(key);
        if (m == null) {
            return new byte[0];
        }
        if (!(m instanceof StringMetadata s)) {
            throw new ErrorReply(LCS_WRONGTYPE);
        }
        return s.value();
    }

    /** One matching stretch of LCS IDX: inclusive ranges in a and b. */
    public record LcsMatch(int aStart, int aEnd, int bStart, int bEnd) {
        public int length() {
            return aEnd - aStart + 1;
        }
    }

    /** LCS's answers: the length, the subsequence itself, and the matching ranges from the end backwards. */
    public record LcsResult(int length, byte[] sequence, List<LcsMatch> matches) {
    }

    /** LCS LEN: only the length, computed with two rows of the table instead of all of it. */
    public static int lcsLength(byte[] a, byte[] b) {
        int[] previous = new int[b.length + 1];
        int[] current = new int[b.length + 1];
        for (int i = 1; i <= a.length; i++) {
            for (int j = 1; j <= b.length; j++) {
                current[j] = a[i - 1] == b[j - 1] ? previous[j - 1] + 1 : Math.max(previous[j], current[j - 1]);
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[b.length];
    }

    /**
     * The longest common subsequence by Redis's dynamic programme, walking back from the ends so the
     * ranges come out in Redis's order. Ranges shorter than minMatchLength (when > 0) are left out.
     */
    public static LcsResult lcs(byte[] a, byte[] b, long minMatchLength) {
        int alen = a.length;
        int blen = b.length;
        int width = blen + 1;
        int[] dp = new int[(alen + 1) * width];
        for (int i = 1; i <= alen; i++) {
            for (int j = 1; j <= blen; j++) {
                if (a[i - 1] == b[j - 1]) {
                    dp[i * width + j] = dp[(i - 1) * width + j - 1] + 1;
                } else {
                    dp[i * width + j] = Math.max(dp[(i - 1) * width + j], dp[i * width + j - 1]);
                }
            }
        }
        int length = dp[alen * width + blen];
        byte[] sequence = new byte[length];
        List<LcsMatch> matches = new ArrayList<>();
        int idx = length;
        int i = alen;
        int j = blen;
        int aStart = -1;
        int aEnd = 0;
        int bStart = 0;
        int bEnd = 0;
        while (i > 0 && j > 0) {
            boolean emit = false;
            if (a[i - 1] == b[j - 1]) {
                sequence[--idx] = a[i - 1];
                if (aStart < 0) {
                    aStart = i - 1;
                    aEnd = i - 1;
                    bStart = j - 1;
                    bEnd = j - 1;
                } else {
                    // Right after a match the next one is always contiguous: extend backwards.
                    aStart--;
                    bStart--;
                }
                if (aStart == 0 || bStart == 0) {
                    emit = true;
                }
                i--;
                j--;
            } else {
                if (dp[(i - 1) * width + j] > dp[i * width + j - 1]) {
                    i--;
                } else {
                    j--;
                }
                emit = aStart >= 0;
            }
            if (emit) {
                LcsMatch match = new LcsMatch(aStart, aEnd, bStart, bEnd);
                if (minMatchLength <= 0 || match.length() >= minMatchLength) {
                    matches.add(match);
                }
                aStart = -1;
            }
        }
        return new LcsResult(length, sequence, matches);
    }
}
