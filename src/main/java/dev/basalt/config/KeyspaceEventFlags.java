package dev.basalt.config;

/**
 * notify-keyspace-events: Redis's flag letters as bits. K and E choose the channels
 * ({@code __keyspace@0__:<key>}, {@code __keyevent@0__:<event>}); the others the event classes.
 */
public final class KeyspaceEventFlags {
    public static final int KEYSPACE = 1;
    public static final int KEYEVENT = 1 << 1;
    public static final int GENERIC = 1 << 2;
    public static final int STRING = 1 << 3;
    public static final int LIST = 1 << 4;
    public static final int SET = 1 << 5;
    public static final int HASH = 1 << 6;
    public static final int ZSET = 1 << 7;
    public static final int EXPIRED = 1 << 8;
    public static final int EVICTED = 1 << 9;
    public static final int STREAM = 1 << 10;
    public static final int KEY_MISS = 1 << 11;
    public static final int MODULE = 1 << 12;
    public static final int NEW = 1 << 13;
    /** A: every class but key-miss and new-key, as in Redis. */
    public static final int ALL = GENERIC | STRING | LIST | SET | HASH | ZSET | EXPIRED | EVICTED | STREAM | MODULE;

    private static final String CLASS_LETTERS = "g$lshzxetd";
    private static final int[] CLASS_BITS = {GENERIC, STRING, LIST, SET, HASH, ZSET, EXPIRED, EVICTED, STREAM, MODULE};

    private KeyspaceEventFlags() {
    }

    /** The bits of a flag string; Redis's error for an unknown letter. */
    public static int parse(String v) throws InvalidValueException {
        int flags = 0;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            int idx = CLASS_LETTERS.indexOf(c);
            if (idx >= 0) {
                flags |= CLASS_BITS[idx];
                continue;
            }
            flags |= switch (c) {
                case 'A' -> ALL;
                case 'K' -> KEYSPACE;
                case 'E' -> KEYEVENT;
                case 'm' -> KEY_MISS;
                case 'n' -> NEW;
                default -> throw new InvalidValueException("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
            };
        }
        return flags;
    }

    /** The flags as CONFIG GET shows them (Redis's order: A or the classes, n, K, E, m). */
    public static String render(int flags) {
        StringBuilder sb = new StringBuilder();
        if ((flags & ALL) == ALL) {
            sb.append('A');
        } else {
            for (int i = 0; i < CLASS_BITS.length; i++) {
                if ((flags & CLASS_BITS[i]) != 0) {
                    sb.append(CLASS_LETTERS.charAt(i));
                }
            }
        }
        if ((flags & NEW) != 0) {
            sb.append('n');
        }
        if ((flags & KEYSPACE) != 0) {
            sb.append('K');
        }
        if ((flags & KEYEVENT) != 0) {
            sb.append('E');
        }
        if ((flags & KEY_MISS) != 0) {
            sb.append('m');
        }
        return sb.toString();
    }

    /** A flag string in its canonical form. */
    public static String canonical(String v) throws InvalidValueException {
        return render(parse(v));
    }
}
