package dev.basalt.command;

import dev.basalt.protocol.ErrorReply;
import dev.basalt.protocol.Reply;
import dev.basalt.types.StreamId;
import dev.basalt.types.StreamLayout;
import dev.basalt.types.StreamType;
import dev.basalt.util.Bytes;
import dev.basalt.util.RedisNumbers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** What the stream commands share: stream IDs and trimming options as Redis 7.0 parses them, and entries as it replies them. */
final class StreamArgs {
    private StreamArgs() {
    }

    static final String INVALID_ID = "ERR Invalid stream ID specified as stream command argument";

    /** An ID argument of XADD: seqGiven is false for {@code <ms>-*}. */
    record AddId(StreamId id, boolean seqGiven) {
    }

    /**
     * Redis's streamGenericParseIDOrReply: {@code <ms>-<seq>} or {@code <ms>} (seq then missingSeq),
     * "-" and "+" for the least and greatest IDs unless strict; with allowAnySeq, {@code <ms>-*}. The
     * argument is read as a C string (up to its first NUL, at most 127 bytes) and each number as
     * string2ull reads it.
     */
    private static AddId parse(byte[] arg, long missingSeq, boolean strict, boolean allowAnySeq) throws ErrorReply {
        int len = 0;
        while (len < arg.length && arg[len] != 0) {
            len++;
        }
        if (arg.length > 127) {
            throw new ErrorReply(INVALID_ID);
        }
        if (len == 1 && (arg[0] == '-' || arg[0] == '+')) {
            if (strict) {
                throw new ErrorReply(INVALID_ID);
            }
            return new AddId(arg[0] == '-' ? StreamId.MIN : StreamId.MAX, true);
        }
        int dash = -1;
        for (int i = 0; i < len; i++) {
            if (arg[i] == '-') {
                dash = i;
                break;
            }
        }
        Long ms = unsigned(arg, 0, dash < 0 ? len : dash);
        if (ms == null) {
            throw new ErrorReply(INVALID_ID);
        }
        if (dash < 0) {
            return new AddId(new StreamId(ms, missingSeq), true);
        }
        if (allowAnySeq && len - dash - 1 == 1 && arg[dash + 1] == '*') {
            return new AddId(new StreamId(ms, 0), false);
        }
        Long seq = unsigned(arg, dash + 1, len);
        if (seq == null) {
            throw new ErrorReply(INVALID_ID);
        }
        return new AddId(new StreamId(ms, seq), true);
    }

    /** An ID where "-" and "+" are allowed. */
    static StreamId id(byte[] arg, long missingSeq) throws ErrorReply {
        return parse(arg, missingSeq, false, false).id();
    }

    /** An ID where "-" and "+" are not. */
    static StreamId strictId(byte[] arg) throws ErrorReply {
        return parse(arg, 0, true, false).id();
    }

    /** The strict IDs argv[from] to the end (XDEL, XACK): all parsed before anything changes. */
    static List<StreamId> strictIds(byte[][] argv, int from) throws ErrorReply {
        List<StreamId> ids = new ArrayList<>(argv.length - from);
        for (int j = from; j < argv.length; j++) {
            ids.add(strictId(argv[j]));
        }
        return ids;
    }

    /** As {@link #strictId}, or null when arg is not an ID (XCLAIM's IDs end where its options start). */
    static StreamId strictIdOrNull(byte[] arg) {
        try {
            return strictId(arg);
        } catch (ErrorReply e) {
            return null;
        }
    }

    /** XADD's ID (not "*"): strict, and {@code <ms>-*} allowed. */
    static AddId addId(byte[] arg) throws ErrorReply {
        return parse(arg, 0, true, true);
    }

    /**
     * The start of an interval (XRANGE, XPENDING, XAUTOCLAIM): a missing seq is 0; "(" makes it
     * exclusive (a strict ID then), which moves it to the next ID.
     */
    static StreamId rangeStart(byte[] arg) throws ErrorReply {
        if (arg.length > 1 && arg[0] == '(') {
            StreamId next = parse(Arrays.copyOfRange(arg, 1, arg.length), 0, true, false).id().next();
            if (next == null) {
                throw new ErrorReply("ERR invalid start ID for the interval");
            }
            return next;
        }
        return id(arg, 0);
    }

    /** The end of an interval: a missing seq is UINT64_MAX; "(" moves it to the previous ID. */
    static StreamId rangeEnd(byte[] arg) throws ErrorReply {
        if (arg.length > 1 && arg[0] == '(') {
            StreamId previous = parse(Arrays.copyOfRange(arg, 1, arg.length), -1L, true, false).id().previous();
            if (previous == null) {
                throw new ErrorReply("ERR invalid end ID for the interval");
            }
            return previous;
        }
        return id(arg, -1L);
    }

    /**
     * Redis's string2ull over b[from, to): string2ll's strict form when it applies (a negative value is
     * refused), otherwise strtoull's (leading spaces, a sign, digits to the end; "-n" wraps around);
     * null when neither accepts it.
     */
    static Long unsigned(byte[] b, int from, int to) {
        byte[] s = Arrays.copyOfRange(b, from, to);
        if (RedisNumbers.isLong(s)) {
            long v = RedisNumbers.parseLong(s);
            return v < 0 ? null : v;
        }
        int i = 0;
        while (i < s.length && (s[i] == ' ' || s[i] >= '\t' && s[i] <= '\r')) {
            i++;
        }
        boolean negative = false;
        if (i < s.length && (s[i] == '+' || s[i] == '-')) {
            negative = s[i] == '-';
            i++;
        }
        if (i == s.length) {
            return null;
        }
        long v = 0;
        for (; i < s.length; i++) {
            int d = s[i] - '0';
            if (d < 0 || d > 9) {
                return null;
            }
            if (Long.compareUnsigned(v, Long.divideUnsigned(-1L, 10)) > 0) {
                return null;
            }
            long next = v * 10 + d;
            if (Long.compareUnsigned(next, v * 10) < 0) {
                return null;
            }
            v = next;
        }
        return negative ? -v : v;
    }

    /** An integer argument (getLongLongFromObjectOrReply). */
    static long integer(byte[] arg) throws ErrorReply {
        return Arguments.integer(arg);
    }

    // ---- XADD and XTRIM options -----------------------------------------------------------------

    /**
     * XADD's and XTRIM's options (Redis's streamParseAddOrTrimArgsOrReply). For XADD, idIndex is where
     * the ID is (the fields follow it) and id is null for "*".
     */
    record AddOrTrim(int idIndex, AddId id, boolean noMkStream, StreamType.Trim trim) {
    }

    /** Redis's default LIMIT for approximate trimming: 100 nodes of stream-node-max-entries (100). */
    private static final long DEFAULT_APPROX_LIMIT = 100L * 100;

    static AddOrTrim addOrTrim(byte[][] argv, boolean xadd) throws ErrorReply {
        int strategy = 0; // 1 MAXLEN, 2 MINID
        boolean approx = false;
        long maxLen = 0;
        StreamId minId = StreamId.MIN;
        long limit = 0;
        boolean limitGiven = false;
        boolean noMkStream = false;
        AddId id = null;
        int i = 2;
        for (; i < argv.length; i++) {
            int more = argv.length - 1 - i;
            byte[] opt = argv[i];
            if (xadd && opt.length == 1 && opt[0] == '*') {
                break;
            } else if ((Bytes.eq(opt, "maxlen") || Bytes.eq(opt, "minid")) && more > 0) {
                if (strategy != 0) {
                    throw new ErrorReply("ERR syntax error, MAXLEN and MINID options at the same time are not compatible");
                }
                approx = false;
                byte[] next = argv[i + 1];
                if (more >= 2 && next.length == 1 && next[0] == '~') {
                    approx = true;
                    i++;
                } else if (more >= 2 && next.length == 1 && next[0] == '=') {
                    i++;
                }
                if (Bytes.eq(opt, "maxlen")) {
                    maxLen = integer(argv[i + 1]);
                    if (maxLen < 0) {
                        throw new ErrorReply("ERR The MAXLEN argument must be >= 0.");
                    }
                    strategy = 1;
                } else {
                    minId = strictId(argv[i + 1]);
                    strategy = 2;
                }
                i++;
            } else if (Bytes.eq(opt, "limit") && more > 0) {
                limit = integer(argv[i + 1]);
                if (limit < 0) {
                    throw new ErrorReply("ERR The LIMIT argument must be >= 0.");
                }
                limitGiven = true;
                i++;
            } else if (xadd && Bytes.eq(opt, "nomkstream")) {
                noMkStream = true;
            } else if (xadd) {
                id = addId(opt);
                break;
            } else {
                throw ErrorReply.syntax();
            }
        }
        if (limit != 0 && strategy == 0) {
            throw new ErrorReply("ERR syntax error, LIMIT cannot be used without specifying a trimming strategy");
        }
        if (!xadd && strategy == 0) {
            throw new ErrorReply("ERR syntax error, XTRIM must be called with a trimming strategy");
        }
        if (limitGiven) {
            if (!approx) {
                throw new ErrorReply("ERR syntax error, LIMIT cannot be used without the special ~ option");
            }
        } else {
            limit = approx ? DEFAULT_APPROX_LIMIT : 0;
        }
        StreamType.Trim trim = strategy == 0 ? null : new StreamType.Trim(strategy == 2, maxLen, minId, approx, limit);
        return new AddOrTrim(i, id, noMkStream, trim);
    }

    // ---- replies --------------------------------------------------------------------------------

    static void id(Reply out, StreamId id) {
        out.bulk(id.toString());
    }

    /** One entry as Redis replies it: its ID, then its fields and values, or a null array when value is null. */
    static void entry(Reply out, StreamId id, byte[] value) {
        out.arrayHeader(2);
        id(out, id);
        if (value == null) {
            out.nullArray();
            return;
        }
        List<byte[]> fields = StreamLayout.decodeFields(value);
        out.bulkArray(fields);
    }
}
