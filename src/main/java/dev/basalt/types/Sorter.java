package dev.basalt.types;

import dev.basalt.protocol.ErrorReply;
import dev.basalt.storage.StorageException;
import dev.basalt.storage.Txn;
import dev.basalt.util.Bytes;
import dev.basalt.util.CFloat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * SORT and SORT_RO over a list, a set or a sorted set (a missing key sorts as an empty list), with
 * Redis 7.0's rules: BY/GET patterns (first {@code *} replaced by the element, {@code ->field} for a
 * hash field, {@code #} for the element itself), BY without {@code *} meaning "don't sort", LIMIT
 * clamped as Redis clamps it, numeric sort with ties broken by the elements' bytes, and STORE
 * writing a list. The collection is read through its type class; SORT holds the whole input and its
 * result in memory, as Redis does.
 *
 * <p>ALPHA compares bytes (unsigned, shorter prefix first). Redis compares with strcoll when it
 * neither stores nor sorts BY a pattern; under the C and C.UTF-8 locales that is the same order for
 * strings without NUL bytes.
 */
public final class Sorter {
    public static final String NOT_DOUBLE = "ERR One or more scores can't be converted into double";

    /**
     * SORT's options as parsed: {@code by} is the BY pattern (null without BY); {@code dontSort} is set
     * by a BY pattern without {@code *} and stays set even if a later BY has one, as in Redis;
     * {@code limitCount} < 0 means "to the end"; {@code gets} are the GET patterns in order;
     * {@code store} the STORE destination or null.
     */
    public record Options(boolean desc, boolean alpha, long limitStart, long limitCount, byte[] by,
            boolean dontSort, List<byte[]> gets, byte[] store) {
    }

    /** One element being sorted, with what it sorts by (a number, or bytes for ALPHA BY). */
    private static final class Item {
        final byte[] element;
        double score;
        byte[] sortValue;

        Item(byte[] element) {
            this.element = element;
        }
    }

    private final Keyspace keyspace;
    private final StringType strings;
    private final HashType hashes;
    private final SetType sets;
    private final ListType lists;
    private final ZSetType zsets;

    public Sorter(Txn txn) {
        this.keyspace = new Keyspace(txn);
        this.strings = new StringType(txn);
        this.hashes = new HashType(txn);
        this.sets = new SetType(txn);
        this.lists = new ListType(txn);
        this.zsets = new ZSetType(txn);
    }

    /**
     * The result of SORT: the elements in order, or for each element the values of its GET patterns
     * (null where a pattern finds nothing), flattened. WRONGTYPE unless the key is a list, set,
     * sorted set or missing; {@link #NOT_DOUBLE} when a numeric sort meets a value that is not a number.
     */
    public List<byte[]> sort(byte[] key, Options o) throws StorageException, ErrorReply {
        Metadata found = keyspace.metadata(key);
        DataType<?> type = found == null ? ListType.TYPE : found.type();
        if (type != ListType.TYPE && type != SetType.TYPE && type != ZSetType.TYPE) {
            throw ErrorReply.wrongType();
        }
        VersionedMetadata m = (VersionedMetadata) found;
        long size = m == null ? 0 : m.size();
        boolean dontSort = o.dontSort();
        boolean alpha = o.alpha();
        byte[] by = o.by();
        if (dontSort && type == SetType.TYPE && o.store() != null) {
            // A set has no order of its own; what is stored must not depend on it: sort the elements.
            dontSort = false;
            alpha = true;
            by = null;
        }

        // LIMIT as Redis 7.0 clamps it (the inputs are bounded by the size first, so nothing overflows).
        long start = Math.min(Math.max(o.limitStart(), 0), size);
        long count = Math.min(Math.max(o.limitCount(), -1), size);
        long end = count < 0 ? size - 1 : start + count - 1;
        if (start >= size) {
            start = size - 1;
            end = size - 2;
        }
        if (end >= size) {
            end = size - 1;
        }
        int n = (int) Math.max(0, end - start + 1);

        List<byte[]> selected;
        if (dontSort && type == ListType.TYPE) {
            selected = listRange(key, size, start, end, o.desc());
        } else if (dontSort && type == ZSetType.TYPE) {
            selected = zsetRange(key, start, end, o.desc());
        } else {
            List<byte[]> elements = all(key, type, m);
            if (!dontSort) {
                elements = sorted(elements, by, alpha, o.desc());
            }
            int from = (int) Math.min(start, elements.size());
            selected = n == 0 ? List.of() : elements.subList(from, Math.min(from + n, elements.size()));
        }

        if (o.gets().isEmpty()) {
            return selected;
        }
        List<byte[]> out = new ArrayList<>(selected.size() * o.gets().size());
        for (byte[] element : selected) {
            for (byte[] pattern : o.gets()) {
                out.add(lookup(pattern, element));
            }
        }
        return out;
    }

    /**
     * STORE: replaces dst (whatever it held, its expiry too) with a list of values in order, a null
     * value stored as the empty string; no values delete dst. Returns the number stored.
     */
    public long store(byte[] dst, List<byte[]> values) throws StorageException {
        List<byte[]> elements = new ArrayList<>(values.size());
        for (byte[] v : values) {
            elements.add(v == null ? new byte[0] : v);
        }
        lists.replace(dst, elements);
        return elements.size();
    }

    // ---- loading ----

    /** Every element of the collection: list order, sorted-set score order, set member order. */
    private List<byte[]> all(byte[] key, DataType<?> type, Metadata m) throws StorageException, ErrorReply {
        if (m == null) {
            return List.of();
        }
        if (type == ListType.TYPE) {
            return lists.range(key, 0, -1);
        }
        return type == SetType.TYPE ? sets.members(key) : members(zsets.all(key));
    }

    /**
     * Unsorted list: positions start..end of the list read from the head, or with DESC from the tail
     * (Redis walks backwards from position size-1-start), reading only that range.
     */
    private List<byte[]> listRange(byte[] key, long size, long start, long end, boolean desc)
            throws StorageException, ErrorReply {
        if (end < start) {
            return List.of();
        }
        if (!desc) {
            return lists.range(key, start, end);
        }
        List<byte[]> range = new ArrayList<>(lists.range(key, size - 1 - end, size - 1 - start));
        Collections.reverse(range);
        return range;
    }

    /** Unsorted sorted set: ranks start..end in score order, or with DESC counted from the highest score. */
    private List<byte[]> zsetRange(byte[] key, long start, long end, boolean desc)
            throws StorageException, ErrorReply {
        if (end < start) {
            return List.of();
        }
        return members(zsets.rangeByRank(key, start, end, desc));
    }

    private static List<byte[]> members(List<ZSetType.Entry> entries) {
        List<byte[]> out = new ArrayList<>(entries.size());
        for (ZSetType.Entry e : entries) {
            out.add(e.member());
        }
        return out;
    }

    // ---- sorting ----

    private List<byte[]> sorted(List<byte[]> elements, byte[] by, boolean alpha, boolean desc)
            throws StorageException, ErrorReply {
        List<Item> items = new ArrayList<>(elements.size());
        boolean notANumber = false;
        for (byte[] e : elements) {
            Item item = new Item(e);
            items.add(item);
            byte[] value = by == null ? e : lookup(by, e);
            if (value == null) {
                continue; // a missing BY value sorts as 0, or before everything with ALPHA
            }
            if (alpha) {
                item.sortValue = by == null ? null : value;
            } else {
                Double d = score(value);
                if (d == null) {
                    notANumber = true;
                } else {
                    item.score = d;
                }
            }
        }
        if (notANumber) {
            throw new ErrorReply(NOT_DOUBLE);
        }
        Comparator<Item> order;
        if (!alpha) {
            // Equal scores order by the elements' bytes so the result is deterministic, as in Redis;
            // -0 and 0 are equal scores.
            order = (a, b) -> a.score < b.score ? -1 : a.score > b.score ? 1 : Bytes.compare(a.element, b.element);
        } else if (by != null) {
            order = (a, b) -> {
                if (a.sortValue == null || b.sortValue == null) {
                    return a.sortValue == b.sortValue ? 0 : a.sortValue == null ? -1 : 1;
                }
                return Bytes.compare(a.sortValue, b.sortValue);
            };
        } else {
            order = (a, b) -> Bytes.compare(a.element, b.element);
        }
        // A stable sort: elements comparing equal (ALPHA BY ties) keep their input order.
        items.sort(desc ? order.reversed() : order);
        List<byte[]> out = new ArrayList<>(items.size());
        for (Item item : items) {
            out.add(item.element);
        }
        return out;
    }

    /**
     * A sort value read as Redis reads it with strtod: leading white space, decimal, hex, inf and
     * infinity are fine, and so is the empty string (0); anything left unread, NaN, or a result out of
     * range (overflow, or underflow to zero or to an inexact subnormal, where glibc sets ERANGE) is
     * not a number. The text ends at a NUL byte, as a C string does.
     */
    private static Double score(byte[] value) {
        CFloat.Strtod r = CFloat.strtod(value, 0);
        if (r.end() < value.length && value[r.end()] != 0) {
            return null;
        }
        double v = r.value();
        return Double.isNaN(v) || r.rangeError() ? null : v;
    }

    // ---- patterns ----

    /**
     * The value a BY/GET pattern names for one element: "#" is the element itself; otherwise the first
     * '*' is replaced by the element to form a key, which must hold a string, or with "->field" after
     * the '*' a hash whose field is read. Null when there is no '*', the key is missing or of another
     * type, or the field is missing. Like Redis, '#', '*' and "->" are looked for in the pattern as a C
     * string (up to a NUL byte).
     */
    private byte[] lookup(byte[] pattern, byte[] element) throws StorageException, ErrorReply {
        int textEnd = cLength(pattern);
        if (textEnd == 1 && pattern[0] == '#') {
            return element;
        }
        int star = indexOf(pattern, (byte) '*', 0, textEnd);
        if (star < 0) {
            return null;
        }
        int arrow = -1;
        for (int i = star + 1; i + 1 < textEnd; i++) {
            if (pattern[i] == '-' && pattern[i + 1] == '>') {
                arrow = i;
                break;
            }
        }
        byte[] field = null;
        int keyEnd = pattern.length;
        if (arrow >= 0 && arrow + 2 < pattern.length && pattern[arrow + 2] != 0) {
            field = Arrays.copyOfRange(pattern, arrow + 2, pattern.length);
            keyEnd = arrow;
        }
        int suffix = keyEnd - star - 1;
        byte[] key = new byte[star + element.length + suffix];
        System.arraycopy(pattern, 0, key, 0, star);
        System.arraycopy(element, 0, key, star, element.length);
        System.arraycopy(pattern, star + 1, key, star + element.length, suffix);
        if (field == null) {
            // mget answers null for a key of another type, with one read.
            return strings.mget(List.of(key)).get(0);
        }
        return hashes.holds(key) ? hashes.get(key, field) : null;
    }

    /** Length of b read as a C string: up to its first NUL byte. */
    private static int cLength(byte[] b) {
        int i = indexOf(b, (byte) 0, 0, b.length);
        return i < 0 ? b.length : i;
    }

    private static int indexOf(byte[] b, byte c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    /** True when a BY pattern sorts (it has a '*' before any NUL byte); without one SORT keeps the input order. */
    public static boolean sortsBy(byte[] pattern) {
        return indexOf(pattern, (byte) '*', 0, cLength(pattern)) >= 0;
    }
}
