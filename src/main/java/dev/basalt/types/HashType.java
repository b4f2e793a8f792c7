package dev.basalt.types;

import dev.basalt.command.CommandException;
import dev.basalt.storage.ColumnFamily;
import dev.basalt.storage.Metadata;
import dev.basalt.storage.RedisType;
import dev.basalt.storage.StorageException;
import dev.basalt.storage.Txn;
import dev.basalt.util.Bytes;
import dev.basalt.util.Glob;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.rocksdb.RocksIterator;

/**
 * Hashes in Kvrocks's layout: {@code metadata[key] = flags(hash) | expire | version | size} and one
 * subkey per field, {@code default[key, version, field] = value}. The size in the metadata is the
 * number of fields, so HLEN reads one key and HGET reads two. A hash whose last field goes is deleted
 * through {@link Keyspace#delete}, which also reclaims its subkeys.
 */
public final class HashType extends Keyspace {
    /** Above this many random picks, loading the whole hash is cheaper than walking to each pick. */
    private static final long MAX_PICKS = 1 << 20;

    /** One field and its value. */
    public record Entry(byte[] field, byte[] value) {
    }

    /**
     * One HSCAN step: the matching entries among the fields visited, and the last field visited, where
     * the next step resumes; null when the scan reached the end of the hash.
     */
    public record ScanPage(List<Entry> entries, byte[] lastVisited) {
    }

    public HashType(Txn txn) {
        super(txn);
    }

    /** The hash's live metadata, null if the key does not exist; WRONGTYPE for another type. */
    public Metadata hashMetadata(byte[] key) throws StorageException, CommandException {
        return metadata(key, RedisType.HASH);
    }

    public byte[] get(byte[] key, byte[] field) throws StorageException, CommandException {
        Metadata m = hashMetadata(key);
        return m == null ? null : txn.get(ColumnFamily.DEFAULT, codec.subkey(key, m.version(), field));
    }

    /** Values of the fields in order, null for a missing field (all null when the key is missing). */
    public List<byte[]> getMany(byte[] key, List<byte[]> fields) throws StorageException, CommandException {
        Metadata m = hashMetadata(key);
        List<byte[]> out = new ArrayList<>(fields.size());
        for (byte[] f : fields) {
            out.add(m == null ? null : txn.get(ColumnFamily.DEFAULT, codec.subkey(key, m.version(), f)));
        }
        return out;
    }

    public long length(byte[] key) throws StorageException, CommandException {
        Metadata m = hashMetadata(key);
        return m == null ? 0 : m.size();
    }

    public boolean fieldExists(byte[] key, byte[] field) throws StorageException, CommandException {
        return get(key, field) != null;
    }

    public long valueLength(byte[] key, byte[] field) throws StorageException, CommandException {
        byte[] v = get(key, field);
        return v == null ? 0 : v.length;
    }

    /**
     * Sets every entry (a later entry for the same field wins), creating the hash if needed; returns
     * how many fields did not exist before.
     */
    public int set(byte[] key, List<Entry> entries) throws StorageException, CommandException {
        Metadata m = hashMetadata(key);
        if (m == null) {
            m = newHash(key);
        }
        int added = 0;
        for (Entry e : entries) {
            byte[] sk = codec.subkey(key, m.version(), e.field());
            // Reads see this Txn's own writes, so a field repeated in one command counts once.
            if (txn.get(ColumnFamily.DEFAULT, sk) == null) {
                added++;
            }
            txn.put(ColumnFamily.DEFAULT, sk, e.value());
        }
        m.setSize(m.size() + added);
        putMetadata(key, m);
        return added;
    }

    /** Sets the field only if it does not exist; true if it was set. */
    public boolean setIfAbsent(byte[] key, byte[] field, byte[] value) throws StorageException, CommandException {
        Metadata m = hashMetadata(key);
        if (m != null && txn.get(ColumnFamily.DEFAULT, codec.subkey(key, m.version(), field)) != null) {
            return false;
        }
        set(key, List.of(new Entry(field, value)));
        return true;
    }

    /** Removes the fields; deletes the key when none is left. Returns how many fields existed. */
    public int deleteFields(byte[] key, List<byte[]> fields) throws StorageException, CommandException {
        Metadata m = hashMetadata(key);
        if (m == null) {
            return 0;
        }
        int removed = 0;
        for (byte[] f : fields) {
            byte[] sk = codec.subkey(key, m.version(), f);
            if (txn.get(ColumnFamily.DEFAULT, sk) != null) {
                txn.delete(ColumnFamily.DEFAULT, sk);
                removed++;
            }
        }
        if (removed == 0) {
            return 0;
        }
        if (m.size() - removed <= 0) {
            delete(key);
        } else {
            m.setSize(m.size() - removed);
            putMetadata(key, m);
        }
        return removed;
    }

    /** Every field and value, in field order (unsigned bytes); empty when the key is missing. */
    public List<Entry> entries(byte[] key) throws StorageException, CommandException {
        Metadata m = hashMetadata(key);
        List<Entry> out = new ArrayList<>();
        if (m == null) {
            return out;
        }
        byte[] prefix = codec.subkeyPrefix(key, m.version());
        try (RocksIterator it = txn.iterator(ColumnFamily.DEFAULT)) {
            for (it.seek(prefix); it.isValid(); it.next()) {
                byte[] k = it.key();
                if (!Bytes.startsWith(k, prefix)) {
                    break;
                }
                out.add(new Entry(Arrays.copyOfRange(k, prefix.length, k.length), it.value()));
            }
        }
        return out;
    }

    /**
     * HINCRBY: adds incr to the field's integer value (0 when missing) and returns the result. Errors
     * as Redis: the stored value must be a canonical 64-bit integer, and the sum must not overflow.
     */
    public long incrBy(byte[] key, byte[] field, long incr) throws StorageException, CommandException {
        Metadata m = hashMetadata(key);
        long current = 0;
        byte[] old = m == null ? null : txn.get(ColumnFamily.DEFAULT, codec.subkey(key, m.version(), field));
        if (old != null) {
            Long parsed = parseStrictLong(old);
            if (parsed == null) {
                throw new CommandException("ERR hash value is not an integer");
            }
            current = parsed;
        }
        if ((incr < 0 && current < 0 && incr < Long.MIN_VALUE - current)
                || (incr > 0 && current > 0 && incr > Long.MAX_VALUE - current)) {
            throw new CommandException("ERR increment or decrement would overflow");
        }
        long result = current + incr;
        set(key, List.of(new Entry(field, Long.toString(result).getBytes(StandardCharsets.US_ASCII))));
        return result;
    }

    /**
     * HINCRBYFLOAT: adds incr to the field's value (0 when missing) in x87 long double arithmetic, as
     * Redis does, stores the result in Redis's human form and returns that text.
     */
    public byte[] incrByFloat(byte[] key, byte[] field, LongDouble incr) throws StorageException, CommandException {
        Metadata m = hashMetadata(key);
        LongDouble current = LongDouble.ZERO;
        byte[] old = m == null ? null : txn.get(ColumnFamily.DEFAULT, codec.subkey(key, m.version(), field));
        if (old != null) {
            current = LongDouble.parse(old);
            if (current == null) {
                throw new CommandException("ERR hash value is not a float");
            }
        }
        LongDouble sum = current.add(incr);
        if (sum.isInfinite()) {
            throw new CommandException("ERR increment would produce NaN or Infinity");
        }
        byte[] text = sum.toHumanString().getBytes(StandardCharsets.US_ASCII);
        set(key, List.of(new Entry(field, text)));
        return text;
    }

    /** One uniformly chosen entry, or null when the key is missing. Costs a walk to the chosen field. */
    public Entry randomEntry(byte[] key) throws StorageException, CommandException {
        Metadata m = hashMetadata(key);
        if (m == null) {
            return null;
        }
        long pick = ThreadLocalRandom.current().nextLong(m.size());
        Map<Long, Entry> found = entriesAt(key, m, new long[] {pick});
        return found.get(pick);
    }

    /**
     * Up to count distinct entries chosen uniformly (the whole hash when count reaches its size), in
     * field order. Empty when the key is missing.
     */
    public List<Entry> randomDistinct(byte[] key, long count) throws StorageException, CommandException {
        Metadata m = hashMetadata(key);
        if (m == null || count <= 0) {
            return new ArrayList<>();
        }
        if (count >= m.size()) {
            return entries(key);
        }
        if (count > MAX_PICKS) {
            List<Entry> all = entries(key);
            Collections.shuffle(all, ThreadLocalRandom.current());
            return new ArrayList<>(all.subList(0, (int) Math.min(count, all.size())));
        }
        long[] picks = floydSample(m.size(), (int) count);
        Arrays.sort(picks);
        Map<Long, Entry> found = entriesAt(key, m, picks);
        List<Entry> out = new ArrayList<>(picks.length);
        for (long p : picks) {
            Entry e = found.get(p);
            if (e != null) {
                out.add(e);
            }
        }
        return out;
    }

    /**
     * Feeds sink exactly count entries of the existing hash, each chosen uniformly and independently
     * (so they may repeat), in the order drawn; feeds nothing when the key is missing.
     */
    public void randomWithRepeats(byte[] key, long count, Consumer<Entry> sink)
            throws StorageException, CommandException {
        Metadata m = hashMetadata(key);
        if (m == null || count <= 0) {
            return;
        }
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        if (count >= m.size() || count > MAX_PICKS) {
            // At least as many draws as fields: load the hash once and draw from memory.
            List<Entry> all = entries(key);
            if (all.isEmpty()) {
                throw new IllegalStateException("hash metadata counts fields that are not stored");
            }
            for (long i = 0; i < count; i++) {
                sink.accept(all.get(rnd.nextInt(all.size())));
            }
            return;
        }
        long[] draws = new long[(int) count];
        for (int i = 0; i < draws.length; i++) {
            draws[i] = rnd.nextLong(m.size());
        }
        Map<Long, Entry> found = entriesAt(key, m, Arrays.stream(draws).distinct().sorted().toArray());
        for (long d : draws) {
            Entry e = found.get(d);
            if (e == null) {
                throw new IllegalStateException("hash metadata counts fields that are not stored");
            }
            sink.accept(e);
        }
    }

    /**
     * One HSCAN step: visits up to count fields after {@code after} (from the start when null) and
     * keeps those matching pattern (all when pattern is null).
     */
    public ScanPage scan(byte[] key, byte[] after, long count, byte[] pattern) throws StorageException, CommandException {
        Metadata m = hashMetadata(key);
        List<Entry> out = new ArrayList<>();
        if (m == null) {
            return new ScanPage(out, null);
        }
        byte[] prefix = codec.subkeyPrefix(key, m.version());
        byte[] last = null;
        try (RocksIterator it = txn.iterator(ColumnFamily.DEFAULT)) {
            if (after == null) {
                it.seek(prefix);
            } else {
                byte[] resume = codec.subkey(key, m.version(), after);
                it.seek(resume);
                if (it.isValid() && Arrays.equals(it.key(), resume)) {
                    it.next();
                }
            }
            long visited = 0;
            for (; it.isValid() && visited < count; it.next(), visited++) {
                byte[] k = it.key();
                if (!Bytes.startsWith(k, prefix)) {
                    break;
                }
                byte[] field = Arrays.copyOfRange(k, prefix.length, k.length);
                last = field;
                if (pattern == null || Glob.matches(pattern, field, false)) {
                    out.add(new Entry(field, it.value()));
                }
            }
            // Finished when nothing of this hash is left after the last visited field.
            if (!it.isValid() || !Bytes.startsWith(it.key(), prefix)) {
                last = null;
            }
        }
        return new ScanPage(out, last);
    }

    private Metadata newHash(byte[] key) throws StorageException {
        // The key may still hold a dead (expired) value whose subkeys must go with it.
        prepareOverwrite(key);
        return Metadata.collection(RedisType.HASH, txn.storage().nextVersion());
    }

    /** The entries at the given positions (ascending) of the field order, in one forward walk. */
    private Map<Long, Entry> entriesAt(byte[] key, Metadata m, long[] ascending) {
        Map<Long, Entry> out = new HashMap<>();
        if (ascending.length == 0) {
            return out;
        }
        byte[] prefix = codec.subkeyPrefix(key, m.version());
        try (RocksIterator it = txn.iterator(ColumnFamily.DEFAULT)) {
            long pos = 0;
            int next = 0;
            for (it.seek(prefix); it.isValid() && next < ascending.length; it.next(), pos++) {
                byte[] k = it.key();
                if (!Bytes.startsWith(k, prefix)) {
                    break;
                }
                if (pos == ascending[next]) {
                    out.put(pos, new Entry(Arrays.copyOfRange(k, prefix.length, k.length), it.value()));
                    while (next < ascending.length && ascending[next] == pos) {
                        next++;
                    }
                }
            }
        }
        return out;
    }

    /** count distinct numbers from [0, n), uniformly (Floyd's algorithm: count steps whatever n is). */
    private static long[] floydSample(long n, int count) {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        Set<Long> chosen = new HashSet<>(count * 2);
        for (long j = n - count; j < n; j++) {
            long t = rnd.nextLong(j + 1);
            chosen.add(chosen.contains(t) ? j : t);
        }
        return chosen.stream().mapToLong(Long::longValue).toArray();
    }

    /**
     * Redis's string2ll: an optional '-', then digits without leading zeros (or just "0"), within a
     * signed 64-bit range; anything else (spaces, '+', "-0", empty) is null.
     */
    public static Long parseStrictLong(byte[] s) {
        int n = s.length;
        if (n == 0 || n > 20) {
            return null;
        }
        if (n == 1 && s[0] == '0') {
            return 0L;
        }
        int i = 0;
        boolean negative = s[0] == '-';
        if (negative) {
            i = 1;
            if (n == 1) {
                return null;
            }
        }
        if (s[i] < '1' || s[i] > '9') {
            return null;
        }
        // Accumulate negatively so that Long.MIN_VALUE fits.
        long v = 0;
        for (; i < n; i++) {
            int d = s[i] - '0';
            if (d < 0 || d > 9) {
                return null;
            }
            if (v < (Long.MIN_VALUE + d) / 10) {
                return null;
            }
            v = v * 10 - d;
        }
        if (!negative) {
            if (v == Long.MIN_VALUE) {
                return null;
            }
            v = -v;
        }
        return v;
    }

    /**
     * An x87 80-bit long double (64-bit significand, 15-bit exponent), the type Redis computes
     * HINCRBYFLOAT in, emulated exactly with big integers: parsing rounds like strtold, addition rounds
     * the exact sum to nearest-even, and {@link #toHumanString()} is Redis's {@code "%.17Lf"} with
     * trailing zeros removed. A finite value is {@code mantissa * 2^exponent}.
     */
    public static final class LongDouble {
        private static final int PRECISION = 64;
        /** Exponent of the last bit of the smallest subnormal, 2^-16445. */
        private static final int MIN_LSB_EXPONENT = -16445;
        /** Finite values are below 2^16384. */
        private static final int OVERFLOW_EXPONENT = 16384;
        /** Redis refuses longer numbers (MAX_LONG_DOUBLE_CHARS). */
        private static final int MAX_CHARS = 5 * 1024;
        /** Beyond these decimal exponents a non-zero value surely over- or underflows. */
        private static final int DECIMAL_EXP_LIMIT = 5000;

        public static final LongDouble ZERO = new LongDouble(BigInteger.ZERO, 0, 0);
        private static final LongDouble POSITIVE_INFINITY = new LongDouble(BigInteger.ZERO, 0, 1);
        private static final LongDouble NEGATIVE_INFINITY = new LongDouble(BigInteger.ZERO, 0, -1);
        /** Marks a rounding that underflowed to zero (strtold's ERANGE with a zero result). */
        private static final LongDouble UNDERFLOW = new LongDouble(BigInteger.ZERO, 0, 0);
        /** Marks a rounding that overflowed (strtold's ERANGE with HUGE_VALL), unlike a literal "inf". */
        private static final LongDouble OVERFLOW = new LongDouble(BigInteger.ZERO, 0, 1);

        /** Signed significand. */
        private final BigInteger mantissa;
        private final int exponent;
        /** 0 for finite values, else the sign of the infinity. */
        private final int infinity;

        private LongDouble(BigInteger mantissa, int exponent, int infinity) {
            this.mantissa = mantissa;
            this.exponent = exponent;
            this.infinity = infinity;
        }

        public boolean isInfinite() {
            return infinity != 0;
        }

        /**
         * Redis's string2ld: the whole text must be what strtold reads (decimal or hexadecimal floats,
         * inf/infinity), with no leading space, not NaN, and not out of range. Null when it is not.
         */
        public static LongDouble parse(byte[] text) {
            if (text.length == 0 || text.length >= MAX_CHARS) {
                return null;
            }
            // Redis hands strtold a C string: it ends at the first NUL byte.
            int len = 0;
            while (len < text.length && text[len] != 0) {
                len++;
            }
            if (len == 0) {
                return ZERO; // strtold read nothing and stopped at the terminator
            }
            int i = 0;
            boolean negative = false;
            if (text[0] == '+' || text[0] == '-') {
                negative = text[0] == '-';
                i++;
            }
            LongDouble v;
            if (matchesWord(text, i, len, "inf") || matchesWord(text, i, len, "infinity")) {
                v = POSITIVE_INFINITY;
            } else if (len - i > 2 && text[i] == '0' && (text[i + 1] == 'x' || text[i + 1] == 'X')) {
                v = parseHex(text, i + 2, len);
            } else {
                v = parseDecimal(text, i, len);
            }
            if (v == null || v == UNDERFLOW || v == OVERFLOW) {
                return null;
            }
            return negative ? v.negate() : v;
        }

        public static LongDouble parse(String text) {
            return parse(text.getBytes(StandardCharsets.UTF_8));
        }

        private static boolean matchesWord(byte[] s, int from, int end, String word) {
            if (end - from != word.length()) {
                return false;
            }
            for (int k = 0; k < word.length(); k++) {
                int c = s[from + k];
                if (c >= 'A' && c <= 'Z') {
                    c += 32;
                }
                if (c != word.charAt(k)) {
                    return false;
                }
            }
            return true;
        }

        private static LongDouble parseDecimal(byte[] s, int i, int end) {
            StringBuilder digits = new StringBuilder();
            long fractionDigits = 0;
            boolean anyDigit = false;
            boolean dot = false;
            for (; i < end; i++) {
                byte c = s[i];
                if (c >= '0' && c <= '9') {
                    anyDigit = true;
                    if (digits.length() > 0 || c != '0') {
                        digits.append((char) c);
                    }
                    if (dot) {
                        fractionDigits++;
                    }
                } else if (c == '.' && !dot) {
                    dot = true;
                } else {
                    break;
                }
            }
            if (!anyDigit) {
                return null;
            }
            long exp10 = 0;
            if (i < end && (s[i] == 'e' || s[i] == 'E')) {
                Long e = parseExponent(s, i + 1, end);
                if (e == null) {
                    return null;
                }
                exp10 = e;
                i = end;
            }
            if (i != end) {
                return null;
            }
            if (digits.length() == 0) {
                return ZERO;
            }
            long scale = exp10 - fractionDigits; // value = digits * 10^scale
            long magnitude = scale + digits.length(); // value < 10^magnitude
            if (magnitude > DECIMAL_EXP_LIMIT) {
                return OVERFLOW; // overflow
            }
            if (magnitude < -DECIMAL_EXP_LIMIT) {
                return UNDERFLOW;
            }
            BigInteger n = new BigInteger(digits.toString());
            if (scale >= 0) {
                return round(n.multiply(BigInteger.TEN.pow((int) scale)), BigInteger.ONE, 0);
            }
            return round(n, BigInteger.TEN.pow((int) -scale), 0);
        }

        private static LongDouble parseHex(byte[] s, int i, int end) {
            StringBuilder digits = new StringBuilder();
            long fractionDigits = 0;
            boolean anyDigit = false;
            boolean dot = false;
            for (; i < end; i++) {
                int c = s[i];
                if (Character.digit(c, 16) >= 0) {
                    anyDigit = true;
                    digits.append((char) c);
                    if (dot) {
                        fractionDigits++;
                    }
                } else if (c == '.' && !dot) {
                    dot = true;
                } else {
                    break;
                }
            }
            if (!anyDigit) {
                return null;
            }
            long exp2 = 0;
            if (i < end && (s[i] == 'p' || s[i] == 'P')) {
                Long e = parseExponent(s, i + 1, end);
                if (e == null) {
                    return null;
                }
                exp2 = e;
                i = end;
            }
            if (i != end) {
                return null;
            }
            BigInteger n = new BigInteger(digits.toString(), 16);
            if (n.signum() == 0) {
                return ZERO;
            }
            long e2 = exp2 - 4 * fractionDigits;
            long top = e2 + n.bitLength();
            if (top > OVERFLOW_EXPONENT + 1) {
                return OVERFLOW;
            }
            if (top < MIN_LSB_EXPONENT - 1) {
                return UNDERFLOW;
            }
            return round(n, BigInteger.ONE, (int) e2);
        }

        /** [+-]digits up to end, saturated far beyond any meaningful exponent; null if malformed. */
        private static Long parseExponent(byte[] s, int i, int end) {
            boolean negative = false;
            if (i < end && (s[i] == '+' || s[i] == '-')) {
                negative = s[i] == '-';
                i++;
            }
            if (i >= end) {
                return null;
            }
            long v = 0;
            for (; i < end; i++) {
                if (s[i] < '0' || s[i] > '9') {
                    return null;
                }
                v = Math.min(v * 10 + (s[i] - '0'), 1_000_000_000L);
            }
            return negative ? -v : v;
        }

        /**
         * Rounds the positive value {@code num / den * 2^exp2} to the nearest long double (ties to
         * even), with subnormals; overflow gives {@link #OVERFLOW}, underflow to zero
         * {@link #UNDERFLOW}.
         */
        private static LongDouble round(BigInteger num, BigInteger den, int exp2) {
            // Scale so that the integer quotient has at least 67 bits: 64 kept, the rest for rounding.
            int shift = PRECISION + 3 - (num.bitLength() - den.bitLength());
            BigInteger[] qr = shift >= 0
                    ? num.shiftLeft(shift).divideAndRemainder(den)
                    : num.divideAndRemainder(den.shiftLeft(-shift));
            BigInteger q = qr[0];
            boolean sticky = qr[1].signum() != 0;
            long qExp = (long) exp2 - shift;
            long lsb = Math.max(qExp + q.bitLength() - PRECISION, MIN_LSB_EXPONENT);
            long dropLong = lsb - qExp;
            if (dropLong > q.bitLength() + 1) {
                return UNDERFLOW; // far below half of the smallest subnormal
            }
            int drop = (int) dropLong;
            BigInteger kept = q.shiftRight(drop);
            BigInteger rest = q.subtract(kept.shiftLeft(drop));
            int cmp = rest.compareTo(BigInteger.ONE.shiftLeft(drop - 1));
            if (cmp > 0 || (cmp == 0 && (sticky || kept.testBit(0)))) {
                kept = kept.add(BigInteger.ONE);
                if (kept.bitLength() > PRECISION) {
                    kept = kept.shiftRight(1);
                    lsb++;
                }
            }
            if (kept.signum() == 0) {
                return UNDERFLOW;
            }
            if (lsb + kept.bitLength() - 1 >= OVERFLOW_EXPONENT) {
                return OVERFLOW;
            }
            return new LongDouble(kept, (int) lsb, 0);
        }

        private LongDouble negate() {
            if (infinity != 0) {
                return infinity > 0 ? NEGATIVE_INFINITY : POSITIVE_INFINITY;
            }
            return new LongDouble(mantissa.negate(), exponent, 0);
        }

        /** The rounded sum; an infinity when it overflows (or when either side is infinite). */
        public LongDouble add(LongDouble o) {
            if (infinity != 0 || o.infinity != 0) {
                // inf + -inf would be NaN, which callers reject exactly like an infinity.
                return infinity != 0 ? this : o;
            }
            if (mantissa.signum() == 0) {
                return o;
            }
            if (o.mantissa.signum() == 0) {
                return this;
            }
            int e = Math.min(exponent, o.exponent);
            BigInteger sum = mantissa.shiftLeft(exponent - e).add(o.mantissa.shiftLeft(o.exponent - e));
            if (sum.signum() == 0) {
                return ZERO;
            }
            LongDouble r = round(sum.abs(), BigInteger.ONE, e);
            if (r == UNDERFLOW) {
                return ZERO; // cannot happen for sums of representable values, kept for safety
            }
            if (r == OVERFLOW) {
                return sum.signum() > 0 ? POSITIVE_INFINITY : NEGATIVE_INFINITY;
            }
            return sum.signum() > 0 ? r : r.negate();
        }

        /** Redis's LD_STR_HUMAN: {@code "%.17Lf"}, trailing zeros (and a bare '.') removed, "-0" as "0". */
        public String toHumanString() {
            if (infinity != 0) {
                return infinity > 0 ? "inf" : "-inf";
            }
            BigDecimal exact = exponent >= 0
                    ? new BigDecimal(mantissa.shiftLeft(exponent))
                    : new BigDecimal(mantissa.multiply(BigInteger.valueOf(5).pow(-exponent)), -exponent);
            String s = exact.setScale(17, RoundingMode.HALF_EVEN).toPlainString();
            int end = s.length();
            while (s.charAt(end - 1) == '0') {
                end--;
            }
            if (s.charAt(end - 1) == '.') {
                end--;
            }
            s = s.substring(0, end);
            return s.equals("-0") ? "0" : s;
        }

        @Override
        public String toString() {
            return toHumanString();
        }
    }
}
