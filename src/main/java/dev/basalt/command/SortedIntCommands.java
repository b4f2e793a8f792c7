package dev.basalt.command;

import static dev.basalt.command.CommandFlag.READONLY;
import static dev.basalt.command.CommandFlag.WRITE;
import static dev.basalt.command.CommandSpec.command;

import dev.basalt.config.KeyspaceEventFlags;
import dev.basalt.protocol.ErrorReply;
import dev.basalt.storage.StorageException;
import dev.basalt.types.SortedIntType;
import dev.basalt.util.Bytes;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Kvrocks's sorted-integer commands (src/commands/cmd_sortedint.cc) with its replies and its argument
 * rules: ids are read as C's strtoull reads them (so "-1" is 2^64-1), optional arguments are looked at
 * only in the positions Kvrocks looks at them, and arguments are checked before the key is read.
 */
final class SortedIntCommands {
    private static final String GROUP = "sortedint";
    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

    private SortedIntCommands() {
    }

    static void register(CommandTable t) {
        t.add(command("siadd", -3).event(KeyspaceEventFlags.SET, "sadd").flags(WRITE).keys(1, 1, 1).group(GROUP).since("1.0.0")
                .summary("Adds ids to a sorted integer set (Kvrocks)").handler((ctx, argv) -> {
                    List<Long> ids = ids(argv, 2);
                    ctx.out().integer(new SortedIntType(ctx.txn()).add(argv[1], ids));
                }));
        t.add(command("sirem", -3).event(KeyspaceEventFlags.SET, "srem").flags(WRITE).keys(1, 1, 1).group(GROUP).since("1.0.0")
                .summary("Removes ids from a sorted integer set (Kvrocks)").handler((ctx, argv) -> {
                    List<Long> ids = ids(argv, 2);
                    ctx.out().integer(new SortedIntType(ctx.txn()).remove(argv[1], ids));
                }));
        t.add(command("sicard", 2).flags(READONLY).keys(1, 1, 1).group(GROUP).since("1.0.0")
                .summary("Returns the number of ids in a sorted integer set (Kvrocks)")
                .handler((ctx, argv) -> ctx.out().integer(new SortedIntType(ctx.txn()).card(argv[1]))));
        t.add(command("siexists", -3).flags(READONLY).keys(1, 1, 1).group(GROUP).since("1.0.0")
                .summary("Tells for each id whether it is in a sorted integer set (Kvrocks)").handler((ctx, argv) -> {
                    List<Long> ids = ids(argv, 2);
                    List<Long> found = new SortedIntType(ctx.txn()).exist(argv[1], ids);
                    ctx.out().arrayHeader(found.size());
                    for (long f : found) {
                        ctx.out().integer(f);
                    }
                }));
        t.add(command("sirange", -4).flags(READONLY).keys(1, 1, 1).group(GROUP).since("1.0.0")
                .summary("Returns ids of a sorted integer set from a cursor, in ascending order (Kvrocks)")
                .handler((ctx, argv) -> range(ctx, argv, false)));
        t.add(command("sirevrange", -4).flags(READONLY).keys(1, 1, 1).group(GROUP).since("1.0.0")
                .summary("Returns ids of a sorted integer set from a cursor, in descending order (Kvrocks)")
                .handler((ctx, argv) -> range(ctx, argv, true)));
        t.add(command("sirangebyvalue", -4).flags(READONLY).keys(1, 1, 1).group(GROUP).since("1.0.0")
                .summary("Returns the ids of a sorted integer set within a range (Kvrocks)")
                .handler((ctx, argv) -> rangeByValue(ctx, argv, false)));
        t.add(command("sirevrangebyvalue", -4).flags(READONLY).keys(1, 1, 1).group(GROUP).since("1.0.0")
                .summary("Returns the ids of a sorted integer set within a range, from the highest (Kvrocks)")
                .handler((ctx, argv) -> rangeByValue(ctx, argv, true)));
    }

    /** The arguments from index from on, each an id. */
    private static List<Long> ids(byte[][] argv, int from) throws ErrorReply {
        List<Long> ids = new ArrayList<>(argv.length - from);
        for (int i = from; i < argv.length; i++) {
            Long id = strtoull(argv[i]);
            if (id == null) {
                throw ErrorReply.notInteger();
            }
            ids.add(id);
        }
        return ids;
    }

    /**
     * C's strtoull in base 10 over the whole argument (Kvrocks's ParseInt&lt;uint64_t&gt;): leading white space,
     * an optional sign (a '-' negates modulo 2^64), digits to the end; null when there are no digits, other
     * characters follow, or the magnitude exceeds 2^64-1.
     */
    static Long strtoull(byte[] arg) {
        BigInteger v = strto(arg);
        if (v == null || v.abs().compareTo(TWO_64) >= 0) {
            return null;
        }
        return v.longValue(); // two's complement: a negated magnitude wraps modulo 2^64
    }

    /** C's strtol in base 10 over the whole argument, then checked to fit a 32-bit int (ParseInt&lt;int&gt;). */
    static Integer strtolInt(byte[] arg) {
        BigInteger v = strto(arg);
        if (v == null || v.bitLength() > 31) {
            return null;
        }
        return v.intValue();
    }

    /** What the strto* functions read in base 10: white space, a sign, digits to the end; null if not that. */
    private static BigInteger strto(byte[] arg) {
        int i = 0;
        while (i < arg.length && isSpace(arg[i])) {
            i++;
        }
        boolean negative = false;
        if (i < arg.length && (arg[i] == '+' || arg[i] == '-')) {
            negative = arg[i] == '-';
            i++;
        }
        if (i == arg.length) {
            return null;
        }
        for (int j = i; j < arg.length; j++) {
            if (arg[j] < '0' || arg[j] > '9') {
                return null;
            }
        }
        while (i < arg.length - 1 && arg[i] == '0') {
            i++; // leading zeros are fine, and not worth parsing
        }
        if (arg.length - i > 25) {
            return TWO_64; // beyond every range the callers accept
        }
        BigInteger v = new BigInteger(new String(arg, i, arg.length - i, StandardCharsets.US_ASCII));
        return negative ? v.negate() : v;
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }

    /** SIRANGE key offset limit [CURSOR id]: Kvrocks reads the CURSOR pair only when exactly six arguments are given. */
    private static void range(ExecContext ctx, byte[][] argv, boolean reverse) throws ErrorReply, StorageException {
        Long offset = strtoull(argv[2]);
        Long limit = strtoull(argv[3]);
        if (offset == null || limit == null) {
            throw ErrorReply.notInteger();
        }
        long cursor = 0;
        if (argv.length == 6) {
            if (!Bytes.eq(argv[4], "cursor")) {
                throw ErrorReply.syntax();
            }
            Long c = strtoull(argv[5]);
            if (c == null) {
                throw ErrorReply.notInteger();
            }
            cursor = c;
        }
        reply(ctx, new SortedIntType(ctx.txn()).range(argv[1], cursor, offset, limit, reverse));
    }

    /**
     * SIRANGEBYVALUE key min max [LIMIT offset count] (SIREVRANGEBYVALUE key max min ...): bounds are
     * unsigned integers, "(" makes one exclusive, -inf and +inf stand for the extremes; LIMIT is read only
     * when exactly seven arguments are given.
     */
    private static void rangeByValue(ExecContext ctx, byte[][] argv, boolean reverse) throws ErrorReply, StorageException {
        byte[] minArg = reverse ? argv[3] : argv[2];
        byte[] maxArg = reverse ? argv[2] : argv[3];
        if (is(minArg, "+inf") || is(maxArg, "-inf")) {
            throw new ErrorReply("ERR min > max");
        }
        long min = 0;
        boolean minExclusive = false;
        if (!is(minArg, "-inf")) {
            minExclusive = minArg.length > 0 && minArg[0] == '(';
            Long v = strtoull(minExclusive ? Arrays.copyOfRange(minArg, 1, minArg.length) : minArg);
            if (v == null) {
                throw new ErrorReply("ERR the min isn't integer");
            }
            min = v;
        }
        long max = -1L;
        boolean maxExclusive = false;
        if (!is(maxArg, "+inf")) {
            maxExclusive = maxArg.length > 0 && maxArg[0] == '(';
            Long v = strtoull(maxExclusive ? Arrays.copyOfRange(maxArg, 1, maxArg.length) : maxArg);
            if (v == null) {
                throw new ErrorReply("ERR the max isn't integer");
            }
            max = v;
        }
        long offset = -1;
        long count = -1;
        if (argv.length == 7) {
            if (!Bytes.eq(argv[4], "limit")) {
                throw ErrorReply.syntax();
            }
            Integer o = strtolInt(argv[5]);
            Integer c = strtolInt(argv[6]);
            if (o == null || c == null) {
                throw ErrorReply.notInteger();
            }
            offset = o;
            count = c;
        }
        SortedIntType.ValueRange r = new SortedIntType.ValueRange(min, minExclusive, max, maxExclusive, offset, count);
        reply(ctx, new SortedIntType(ctx.txn()).rangeByValue(argv[1], r, reverse));
    }

    /** Exactly this text (Kvrocks compares the infinities case-sensitively). */
    private static boolean is(byte[] arg, String text) {
        return Arrays.equals(arg, Bytes.of(text));
    }

    private static void reply(ExecContext ctx, List<Long> ids) {
        ctx.out().arrayHeader(ids.size());
        for (long id : ids) {
            ctx.out().bulk(Long.toUnsignedString(id));
        }
    }
}
