package dev.basalt.command;

import static dev.basalt.command.Arguments.integer;
import static dev.basalt.command.CommandFlag.BLOCKING;
import static dev.basalt.command.CommandFlag.FAST;
import static dev.basalt.command.CommandFlag.NOSCRIPT;
import static dev.basalt.command.CommandFlag.READONLY;
import static dev.basalt.command.CommandFlag.WRITE;
import static dev.basalt.command.CommandSpec.command;

import dev.basalt.command.ScanCursors;
import dev.basalt.config.KeyspaceEventFlags;
import dev.basalt.protocol.ErrorReply;
import dev.basalt.protocol.Reply;
import dev.basalt.protocol.RespWriter;
import dev.basalt.storage.StorageException;
import dev.basalt.types.ZSetType.Entry;
import dev.basalt.types.ZSetType.LexRange;
import dev.basalt.types.ZSetType.ScoreRange;
import dev.basalt.types.ZSetType;
import dev.basalt.util.ByteKey;
import dev.basalt.util.Bytes;
import dev.basalt.util.CFloat;
import dev.basalt.util.RedisNumbers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Sorted-set commands (Redis 7.0 semantics, ZRANK/ZREVRANK WITHSCORE from 7.2), over {@link ZSetType}. */
final class ZSetCommands {
    private static final String GROUP = "sorted-set";
    private static final String NOT_SCORE_RANGE = "ERR min or max is not a float";
    private static final String NOT_LEX_RANGE = "ERR min or max not valid string range item";
    private static final String NOT_POSITIVE = "ERR value is out of range, must be positive";
    private static final String NUMKEYS = "ERR numkeys should be greater than 0";
    private static final String COUNT = "ERR count should be greater than 0";

    private ZSetCommands() {
    }

    private enum RangeType { AUTO, RANK, SCORE, LEX }

    private enum SetOp { UNION, INTER, DIFF }

    private enum Aggregate { SUM, MIN, MAX }

    static void register(CommandTable t, ScanCursors cursors) {
        t.add(command("zadd", -4).event(KeyspaceEventFlags.ZSET, "zadd").flags(WRITE, FAST).keys(1, 1, 1).group(GROUP).since("1.2.0")
                .summary("Adds one or more members to a sorted set, or updates their scores. Creates the key if it doesn't exist.")
                .handler(ZSetCommands::zadd));
        t.add(command("zincrby", 4).event(KeyspaceEventFlags.ZSET, "zincr").flags(WRITE, FAST).keys(1, 1, 1).group(GROUP).since("1.2.0")
                .summary("Increments the score of a member in a sorted set.").handler(ZSetCommands::zincrby));
        t.add(command("zrem", -3).event(KeyspaceEventFlags.ZSET, "zrem").flags(WRITE, FAST).keys(1, 1, 1).group(GROUP).since("1.2.0")
                .summary("Removes one or more members from a sorted set. Deletes the sorted set if all members were removed.")
                .handler(ZSetCommands::zrem));
        t.add(command("zcard", 2).flags(READONLY, FAST).keys(1, 1, 1).group(GROUP).since("1.2.0")
                .summary("Returns the number of members in a sorted set.")
                .handler((ctx, argv) -> ctx.out().integer(new ZSetType(ctx.txn()).card(argv[1]))));
        t.add(command("zcount", 4).flags(READONLY, FAST).keys(1, 1, 1).group(GROUP).since("2.0.0")
                .summary("Returns the count of members in a sorted set that have scores within a range.")
                .handler((ctx, argv) -> {
                    ScoreRange r = scoreRange(argv[2], argv[3]);
                    ctx.out().integer(new ZSetType(ctx.txn()).countByScore(argv[1], r));
                }));
        t.add(command("zlexcount", 4).flags(READONLY, FAST).keys(1, 1, 1).group(GROUP).since("2.8.9")
                .summary("Returns the number of members in a sorted set within a lexicographical range.")
                .handler((ctx, argv) -> {
                    LexRange r = lexRange(argv[2], argv[3]);
                    ctx.out().integer(new ZSetType(ctx.txn()).countByLex(argv[1], r));
                }));
        t.add(command("zscore", 3).flags(READONLY, FAST).keys(1, 1, 1).group(GROUP).since("1.2.0")
                .summary("Returns the score of a member in a sorted set.").handler((ctx, argv) -> {
                    Double s = new ZSetType(ctx.txn()).score(argv[1], argv[2]);
                    if (s == null) {
                        ctx.out().nullBulk();
                    } else {
                        ctx.out().dbl(s);
                    }
                }));
        t.add(command("zmscore", -3).flags(READONLY, FAST).keys(1, 1, 1).group(GROUP).since("6.2.0")
                .summary("Returns the score of one or more members in a sorted set.").handler((ctx, argv) -> {
                    List<Double> scores = new ZSetType(ctx.txn()).scores(argv[1], Arrays.asList(argv).subList(2, argv.length));
                    ctx.out().arrayHeader(scores.size());
                    for (Double s : scores) {
                        if (s == null) {
                            ctx.out().nullBulk();
                        } else {
                            ctx.out().dbl(s);
                        }
                    }
                }));
        t.add(command("zrank", -3).flags(READONLY, FAST).keys(1, 1, 1).group(GROUP).since("2.0.0")
                .summary("Returns the index of a member in a sorted set ordered by ascending scores.")
                .handler((ctx, argv) -> zrank(ctx, argv, false)));
        t.add(command("zrevrank", -3).flags(READONLY, FAST).keys(1, 1, 1).group(GROUP).since("2.0.0")
                .summary("Returns the index of a member in a sorted set ordered by descending scores.")
                .handler((ctx, argv) -> zrank(ctx, argv, true)));
        t.add(command("zrange", -4).flags(READONLY).keys(1, 1, 1).group(GROUP).since("1.2.0")
                .summary("Returns members in a sorted set within a range of indexes.")
                .handler((ctx, argv) -> zrange(ctx, argv, 1, null, RangeType.AUTO, null)));
        t.add(command("zrangestore", -5).event(KeyspaceEventFlags.ZSET, "zrangestore").flags(WRITE).keys(1, 2, 1).group(GROUP).since("6.2.0")
                .summary("Stores a range of members from sorted set in a key.")
                .handler((ctx, argv) -> zrange(ctx, argv, 2, argv[1], RangeType.AUTO, null)));
        t.add(command("zrevrange", -4).flags(READONLY).keys(1, 1, 1).group(GROUP).since("1.2.0")
                .summary("Returns members in a sorted set within a range of indexes in reverse order.")
                .handler((ctx, argv) -> zrange(ctx, argv, 1, null, RangeType.RANK, true)));
        t.add(command("zrangebyscore", -4).flags(READONLY).keys(1, 1, 1).group(GROUP).since("1.0.5")
                .summary("Returns members in a sorted set within a range of scores.")
                .handler((ctx, argv) -> zrange(ctx, argv, 1, null, RangeType.SCORE, false)));
        t.add(command("zrevrangebyscore", -4).flags(READONLY).keys(1, 1, 1).group(GROUP).since("2.2.0")
                .summary("Returns members in a sorted set within a range of scores in reverse order.")
                .handler((ctx, argv) -> zrange(ctx, argv, 1, null, RangeType.SCORE, true)));
        t.add(command("zrangebylex", -4).flags(READONLY).keys(1, 1, 1).group(GROUP).since("2.8.9")
                .summary("Returns members in a sorted set within a lexicographical range.")
                .handler((ctx, argv) -> zrange(ctx, argv, 1, null, RangeType.LEX, false)));
        t.add(command("zrevrangebylex", -4).flags(READONLY).keys(1, 1, 1).group(GROUP).since("2.8.9")
                .summary("Returns members in a sorted set within a lexicographical range in reverse order.")
                .handler((ctx, argv) -> zrange(ctx, argv, 1, null, RangeType.LEX, true)));
        t.add(command("zpopmin", -2).event(KeyspaceEventFlags.ZSET, "zpopmin").flags(WRITE, FAST).keys(1, 1, 1).group(GROUP).since("5.0.0")
                .summary("Returns the lowest-scoring members from a sorted set after removing them. Deletes the sorted set if the last member was popped.")
                .handler((ctx, argv) -> zpop(ctx, argv, false)));
        t.add(command("zpopmax", -2).event(KeyspaceEventFlags.ZSET, "zpopmax").flags(WRITE, FAST).keys(1, 1, 1).group(GROUP).since("5.0.0")
                .summary("Returns the highest-scoring members from a sorted set after removing them. Deletes the sorted set if the last member was popped.")
                .handler((ctx, argv) -> zpop(ctx, argv, true)));
        t.add(command("zmpop", -4).flags(WRITE).keys(KeyExtractor.numkeys(1, false, 0)).group(GROUP).since("7.0.0")
                .summary("Returns the highest- or lowest-scoring members from one or more sorted sets after removing them. Deletes the sorted set if the last member was popped.")
                .handler((ctx, argv) -> zmpop(ctx, argv, 1, false)));
        t.add(command("bzpopmin", -3).event(KeyspaceEventFlags.ZSET, "zpopmin").flags(WRITE, NOSCRIPT, BLOCKING, FAST).keys(1, -2, 1).group(GROUP).since("5.0.0")
                .summary("Removes and returns the member with the lowest score from one or more sorted sets. Blocks until a member is available otherwise. Deletes the sorted set if the last element was popped.")
                .handler((ctx, argv) -> bzpop(ctx, argv, false)));
        t.add(command("bzpopmax", -3).event(KeyspaceEventFlags.ZSET, "zpopmax").flags(WRITE, NOSCRIPT, BLOCKING, FAST).keys(1, -2, 1).group(GROUP).since("5.0.0")
                .summary("Removes and returns the member with the highest score from one or more sorted sets. Blocks until a member available otherwise.  Deletes the sorted set if the last element was popped.")
                .handler((ctx, argv) -> bzpop(ctx, argv, true)));
        t.add(command("bzmpop", -5).flags(WRITE, BLOCKING).keys(KeyExtractor.numkeys(2, false, 0)).group(GROUP).since("7.0.0")
                .summary("Removes and returns a member by score from one or more sorted sets. Blocks until a member is available otherwise. Deletes the sorted set if the last element was popped.")
                .handler((ctx, argv) -> zmpop(ctx, argv, 2, true)));
        t.add(command("zrandmember", -2).flags(READONLY).keys(1, 1, 1).group(GROUP).since("6.2.0")
                .summary("Returns one or more random members from a sorted set.").handler(ZSetCommands::zrandmember));
        t.add(command("zremrangebyrank", 4).event(KeyspaceEventFlags.ZSET, "zremrangebyrank").flags(WRITE).keys(1, 1, 1).group(GROUP).since("2.0.0")
                .summary("Removes members in a sorted set within a range of indexes. Deletes the sorted set if all members were removed.")
                .handler((ctx, argv) -> {
                    long start = integer(argv[2]);
                    long stop = integer(argv[3]);
                    ctx.out().integer(new ZSetType(ctx.txn()).removeRangeByRank(argv[1], start, stop));
                }));
        t.add(command("zremrangebyscore", 4).event(KeyspaceEventFlags.ZSET, "zremrangebyscore").flags(WRITE).keys(1, 1, 1).group(GROUP).since("1.2.0")
                .summary("Removes members in a sorted set within a range of scores. Deletes the sorted set if all members were removed.")
                .handler((ctx, argv) -> {
                    ScoreRange r = scoreRange(argv[2], argv[3]);
                    ctx.out().integer(new ZSetType(ctx.txn()).removeRangeByScore(argv[1], r));
                }));
        t.add(command("zremrangebylex", 4).event(KeyspaceEventFlags.ZSET, "zremrangebylex").flags(WRITE).keys(1, 1, 1).group(GROUP).since("2.8.9")
                .summary("Removes members in a sorted set within a lexicographical range. Deletes the sorted set if all members were removed.")
                .handler((ctx, argv) -> {
                    LexRange r = lexRange(argv[2], argv[3]);
                    ctx.out().integer(new ZSetType(ctx.txn()).removeRangeByLex(argv[1], r));
                }));
        t.add(command("zunion", -3).flags(READONLY).keys(KeyExtractor.numkeys(1, false, 0)).group(GROUP).since("6.2.0")
                .summary("Returns the union of multiple sorted sets.")
                .handler((ctx, argv) -> setOperation(ctx, argv, 1, null, SetOp.UNION, false, "zunion")));
        t.add(command("zinter", -3).flags(READONLY).keys(KeyExtractor.numkeys(1, false, 0)).group(GROUP).since("6.2.0")
                .summary("Returns the intersect of multiple sorted sets.")
                .handler((ctx, argv) -> setOperation(ctx, argv, 1, null, SetOp.INTER, false, "zinter")));
        t.add(command("zdiff", -3).flags(READONLY).keys(KeyExtractor.numkeys(1, false, 0)).group(GROUP).since("6.2.0")
                .summary("Returns the difference between multiple sorted sets.")
                .handler((ctx, argv) -> setOperation(ctx, argv, 1, null, SetOp.DIFF, false, "zdiff")));
        t.add(command("zintercard", -3).flags(READONLY).keys(KeyExtractor.numkeys(1, false, 0)).group(GROUP).since("7.0.0")
                .summary("Returns the number of members of the intersect of multiple sorted sets.")
                .handler((ctx, argv) -> setOperation(ctx, argv, 1, null, SetOp.INTER, true, "zintercard")));
        t.add(command("zunionstore", -4).event(KeyspaceEventFlags.ZSET, "zunionstore").flags(WRITE).keys(1, 1, 1).keys(KeyExtractor.numkeys(2, true, 0)).group(GROUP).since("2.0.0")
                .summary("Stores the union of multiple sorted sets in a key.")
                .handler((ctx, argv) -> setOperation(ctx, argv, 2, argv[1], SetOp.UNION, false, "zunionstore")));
        t.add(command("zinterstore", -4).event(KeyspaceEventFlags.ZSET, "zinterstore").flags(WRITE).keys(1, 1, 1).keys(KeyExtractor.numkeys(2, true, 0)).group(GROUP).since("2.0.0")
                .summary("Stores the intersect of multiple sorted sets in a key.")
                .handler((ctx, argv) -> setOperation(ctx, argv, 2, argv[1], SetOp.INTER, false, "zinterstore")));
        t.add(command("zdiffstore", -4).event(KeyspaceEventFlags.ZSET, "zdiffstore").flags(WRITE).keys(1, 1, 1).keys(KeyExtractor.numkeys(2, true, 0)).group(GROUP).since("6.2.0")
                .summary("Stores the difference of multiple sorted sets in a key.")
                .handler((ctx, argv) -> setOperation(ctx, argv, 2, argv[1], SetOp.DIFF, false, "zdiffstore")));
        t.add(command("zscan", -3).flags(READONLY).keys(1, 1, 1).group(GROUP).since("2.8.0")
                .summary("Iterates over members and scores of a sorted set.").handler((ctx, argv) -> zscan(ctx, argv, cursors)));
    }

    // ---- ZADD / ZINCRBY / ZREM ----

    private static void zadd(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        boolean nx = false;
        boolean xx = false;
        boolean gt = false;
        boolean lt = false;
        boolean ch = false;
        boolean incr = false;
        int i = 2;
        for (; i < argv.length; i++) {
            byte[] a = argv[i];
            if (Bytes.eq(a, "nx")) {
                nx = true;
            } else if (Bytes.eq(a, "xx")) {
                xx = true;
            } else if (Bytes.eq(a, "gt")) {
                gt = true;
            } else if (Bytes.eq(a, "lt")) {
                lt = true;
            } else if (Bytes.eq(a, "ch")) {
                ch = true;
            } else if (Bytes.eq(a, "incr")) {
                incr = true;
            } else {
                break;
            }
        }
        int elements = argv.length - i;
        if (elements == 0 || elements % 2 != 0) {
            throw ErrorReply.syntax();
        }
        if (nx && xx) {
            throw new ErrorReply("ERR XX and NX options at the same time are not compatible");
        }
        if ((gt && nx) || (lt && nx) || (gt && lt)) {
            throw new ErrorReply("ERR GT, LT, and/or NX options at the same time are not compatible");
        }
        if (incr && elements > 2) {
            throw new ErrorReply("ERR INCR option supports a single increment-element pair");
        }
        List<Entry> pairs = new ArrayList<>(elements / 2);
        for (int j = i; j < argv.length; j += 2) {
            pairs.add(new Entry(argv[j + 1], strictDouble(argv[j])));
        }
        ZSetType.AddResult r = new ZSetType(ctx.txn()).add(argv[1], pairs, new ZSetType.AddOptions(nx, xx, gt, lt, incr));
        if (incr) {
            if (r.processed() > 0) {
                ctx.out().dbl(r.score());
            } else {
                ctx.out().nullBulk();
            }
        } else {
            ctx.out().integer(ch ? r.added() + r.updated() : r.added());
        }
    }

    private static void zincrby(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        double by = strictDouble(argv[2]);
        ZSetType.AddResult r = new ZSetType(ctx.txn()).add(argv[1], List.of(new Entry(argv[3], by)),
                new ZSetType.AddOptions(false, false, false, false, true));
        ctx.out().dbl(r.score());
    }

    private static void zrem(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        ctx.out().integer(new ZSetType(ctx.txn()).remove(argv[1], Arrays.asList(argv).subList(2, argv.length)));
    }

    // ---- ZRANK ----

    private static void zrank(ExecContext ctx, byte[][] argv, boolean reverse) throws ErrorReply, StorageException {
        if (argv.length > 4) {
            throw ErrorReply.wrongArgs(reverse ? "zrevrank" : "zrank");
        }
        boolean withScore = false;
        if (argv.length == 4) {
            if (!Bytes.eq(argv[3], "withscore")) {
                throw ErrorReply.syntax();
            }
            withScore = true;
        }
        ZSetType.Rank r = new ZSetType(ctx.txn()).rank(argv[1], argv[2], reverse);
        Reply out = ctx.out();
        if (r == null) {
            if (withScore) {
                out.nullArray();
            } else {
                out.nullBulk();
            }
            return;
        }
        if (withScore) {
            out.arrayHeader(2);
            out.integer(r.rank());
            out.dbl(r.score());
        } else {
            out.integer(r.rank());
        }
    }

    // ---- ZRANGE family ----

    /**
     * ZRANGE and its older forms, and ZRANGESTORE (dst != null): src at argv[srcIndex], the two bounds after
     * it, then options. type and reverse preset by the older forms (AUTO / null = taken from the options).
     */
    private static void zrange(ExecContext ctx, byte[][] argv, int srcIndex, byte[] dst, RangeType type, Boolean reverse)
            throws ErrorReply, StorageException {
        boolean store = dst != null;
        boolean withScores = false;
        long offset = 0;
        long limit = -1;
        boolean rev = reverse != null && reverse;
        boolean directionFixed = reverse != null;
        for (int j = srcIndex + 3; j < argv.length; j++) {
            int left = argv.length - j - 1;
            byte[] a = argv[j];
            if (!store && Bytes.eq(a, "withscores")) {
                withScores = true;
            } else if (Bytes.eq(a, "limit") && left >= 2) {
                offset = integer(argv[j + 1]);
                limit = integer(argv[j + 2]);
                j += 2;
            } else if (!directionFixed && Bytes.eq(a, "rev")) {
                rev = true;
                directionFixed = true;
            } else if (type == RangeType.AUTO && Bytes.eq(a, "bylex")) {
                type = RangeType.LEX;
            } else if (type == RangeType.AUTO && Bytes.eq(a, "byscore")) {
                type = RangeType.SCORE;
            } else {
                throw ErrorReply.syntax();
            }
        }
        if (type == RangeType.AUTO) {
            type = RangeType.RANK;
        }
        if (limit != -1 && type == RangeType.RANK) {
            throw new ErrorReply("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
        }
        if (withScores && type == RangeType.LEX) {
            throw new ErrorReply("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
        }
        byte[] src = argv[srcIndex];
        byte[] first = argv[srcIndex + 1];
        byte[] second = argv[srcIndex + 2];
        if (rev && type != RangeType.RANK) {
            // Reversed score and lex ranges are written max first.
            byte[] t = first;
            first = second;
            second = t;
        }
        ZSetType z = new ZSetType(ctx.txn());
        List<Entry> result;
        switch (type) {
            case RANK -> {
                long start = integer(first);
                long stop = integer(second);
                result = z.rangeByRank(src, start, stop, rev);
            }
            case SCORE -> {
                ScoreRange r = scoreRange(first, second);
                result = z.rangeByScore(src, r, offset, limit, rev);
            }
            default -> {
                LexRange r = lexRange(first, second);
                result = z.rangeByLex(src, r, offset, limit, rev);
            }
        }
        if (store) {
            z.replace(dst, result);
            ctx.out().integer(result.size());
        } else {
            writeEntries(ctx.out(), result, withScores);
        }
    }

    // ---- pops ----

    private static void zpop(ExecContext ctx, byte[][] argv, boolean max) throws ErrorReply, StorageException {
        if (argv.length > 3) {
            throw ErrorReply.syntax();
        }
        long count = -1;
        if (argv.length == 3) {
            Long c = parseInteger(argv[2]);
            if (c == null || c < 0) {
                throw new ErrorReply(NOT_POSITIVE);
            }
            count = c;
        }
        ZSetType z = new ZSetType(ctx.txn());
        Reply out = ctx.out();
        List<Entry> popped = z.pop(argv[1], count == -1 ? 1 : count, max);
        if (count == -1 || !out.resp3()) {
            // A single pop, and every RESP2 reply, is one flat array.
            out.arrayHeader(popped.size() * 2L);
            for (Entry e : popped) {
                out.bulk(e.member());
                out.dbl(e.score());
            }
        } else {
            writeEntries(out, popped, true);
        }
    }

    /** ZMPOP (numkeys at argv[1]) and BZMPOP (timeout at argv[1], numkeys at argv[2]). */
    private static void zmpop(ExecContext ctx, byte[][] argv, int numkeysIndex, boolean blocking)
            throws ErrorReply, StorageException {
        Long n = parseInteger(argv[numkeysIndex]);
        if (n == null || n < 1) {
            throw new ErrorReply(NUMKEYS);
        }
        if (n >= argv.length - numkeysIndex - 1) {
            throw ErrorReply.syntax();
        }
        int whereIndex = (int) (numkeysIndex + n + 1);
        boolean max;
        if (Bytes.eq(argv[whereIndex], "min")) {
            max = false;
        } else if (Bytes.eq(argv[whereIndex], "max")) {
            max = true;
        } else {
            throw ErrorReply.syntax();
        }
        long count = -1;
        for (int j = whereIndex + 1; j < argv.length; j++) {
            boolean more = j < argv.length - 1;
            if (count == -1 && Bytes.eq(argv[j], "count") && more) {
                j++;
                Long c = parseInteger(argv[j]);
                if (c == null || c < 1) {
                    throw new ErrorReply(COUNT);
                }
                count = c;
            } else {
                throw ErrorReply.syntax();
            }
        }
        if (count == -1) {
            count = 1;
        }
        long timeout = blocking ? BlockRequest.parseTimeoutSeconds(argv[1]) : 0;
        List<byte[]> keys = Arrays.asList(argv).subList(numkeysIndex + 1, whereIndex);
        long popCount = count;
        BlockingPop.run(ctx, new ArrayList<>(keys), blocking ? timeout : -1, Reply::nullArray, Reply::nullArray,
                new ZSetPop(ctx) {
                    @Override
                    void reply(Reply out, byte[] key, ZSetType z) throws ErrorReply, StorageException {
                        List<Entry> popped = z.pop(key, popCount, max);
                        ctx.notify(KeyspaceEventFlags.ZSET, max ? "zpopmax" : "zpopmin", key);
                        out.arrayHeader(2);
                        out.bulk(key);
                        out.arrayHeader(popped.size());
                        for (Entry e : popped) {
                            out.arrayHeader(2);
                            out.bulk(e.member());
                            out.dbl(e.score());
                        }
                    }
                });
    }

    private static void bzpop(ExecContext ctx, byte[][] argv, boolean max) throws ErrorReply, StorageException {
        long timeout = BlockRequest.parseTimeoutSeconds(argv[argv.length - 1]);
        List<byte[]> keys = Arrays.asList(argv).subList(1, argv.length - 1);
        BlockingPop.run(ctx, new ArrayList<>(keys), timeout, Reply::nullArray, Reply::nullArray, new ZSetPop(ctx) {
            @Override
            void reply(Reply out, byte[] key, ZSetType z) throws ErrorReply, StorageException {
                Entry e = z.pop(key, 1, max).get(0);
                out.arrayHeader(3);
                out.bulk(key);
                out.bulk(e.member());
                out.dbl(e.score());
            }
        });
    }

    /** Pops from sorted sets for {@link BlockingPop}: a key serves when it holds a non-empty sorted set. */
    private abstract static class ZSetPop implements BlockingPop.Source {
        private final ExecContext ctx;
        private final ZSetType z;

        ZSetPop(ExecContext ctx) {
            this.ctx = ctx;
            this.z = new ZSetType(ctx.txn());
        }

        @Override
        public boolean holdsType(byte[] key) throws StorageException {
            return z.holds(key);
        }

        @Override
        public boolean serve(byte[] key) throws ErrorReply, StorageException {
            if (z.metadata(key) == null) {
                return false;
            }
            reply(ctx.out(), key, z);
            return true;
        }

        abstract void reply(Reply out, byte[] key, ZSetType z) throws ErrorReply, StorageException;
    }

    // ---- ZRANDMEMBER ----

    private static void zrandmember(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        ZSetType z = new ZSetType(ctx.txn());
        Reply out = ctx.out();
        if (argv.length == 2) {
            List<Entry> one = z.randomMembers(argv[1], 1);
            if (one.isEmpty()) {
                out.nullBulk();
            } else {
                out.bulk(one.get(0).member());
            }
            return;
        }
        long count = integer(argv[2]);
        if (count == Long.MIN_VALUE) {
            throw new ErrorReply("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807");
        }
        boolean withScores = false;
        if (argv.length > 4 || (argv.length == 4 && !Bytes.eq(argv[3], "withscores"))) {
            throw ErrorReply.syntax();
        } else if (argv.length == 4) {
            withScores = true;
            if (count < -Long.MAX_VALUE / 2 || count > Long.MAX_VALUE / 2) {
                throw new ErrorReply("ERR value is out of range");
            }
        }
        writeEntries(out, z.randomMembers(argv[1], count), withScores);
    }

    // ---- ZUNION / ZINTER / ZDIFF (+STORE), ZINTERCARD ----

    private static void setOperation(ExecContext ctx, byte[][] argv, int numkeysIndex, byte[] dst, SetOp op,
            boolean cardinalityOnly, String name) throws ErrorReply, StorageException {
        long setnum = integer(argv[numkeysIndex]);
        if (setnum < 1) {
            throw new ErrorReply("ERR at least 1 input key is needed for '" + name + "' command");
        }
        if (setnum > argv.length - numkeysIndex - 1) {
            throw ErrorReply.syntax();
        }
        int n = (int) setnum;
        ZSetType z = new ZSetType(ctx.txn());
        ZSetType.Source[] sources = new ZSetType.Source[n];
        double[] weights = new double[n];
        for (int i = 0; i < n; i++) {
            sources[i] = z.source(argv[numkeysIndex + 1 + i]);
            weights[i] = 1.0;
        }
        Aggregate aggregate = Aggregate.SUM;
        boolean withScores = false;
        long limit = 0;
        int j = numkeysIndex + 1 + n;
        while (j < argv.length) {
            int remaining = argv.length - j;
            if (op != SetOp.DIFF && remaining >= n + 1 && Bytes.eq(argv[j], "weights")) {
                j++;
                for (int i = 0; i < n; i++, j++) {
                    Double w = CFloat.parseDouble(argv[j]);
                    if (w == null) {
                        throw new ErrorReply("ERR weight value is not a float");
                    }
                    weights[i] = w;
                }
            } else if (op != SetOp.DIFF && remaining >= 2 && Bytes.eq(argv[j], "aggregate")) {
                byte[] a = argv[j + 1];
                if (Bytes.eq(a, "sum")) {
                    aggregate = Aggregate.SUM;
                } else if (Bytes.eq(a, "min")) {
                    aggregate = Aggregate.MIN;
                } else if (Bytes.eq(a, "max")) {
                    aggregate = Aggregate.MAX;
                } else {
                    throw ErrorReply.syntax();
                }
                j += 2;
            } else if (dst == null && !cardinalityOnly && Bytes.eq(argv[j], "withscores")) {
                withScores = true;
                j++;
            } else if (cardinalityOnly && remaining >= 2 && Bytes.eq(argv[j], "limit")) {
                Long l = parseInteger(argv[j + 1]);
                if (l == null || l < 0) {
                    throw new ErrorReply("ERR LIMIT can't be negative");
                }
                limit = l;
                j += 2;
            } else {
                throw ErrorReply.syntax();
            }
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        if (op != SetOp.DIFF) {
            // Smallest input first, like Redis (its stable sort keeps argument order among equals): this also
            // fixes the order in which scores are summed.
            Arrays.sort(order, Comparator.comparingLong(i -> sources[i].size()));
        }
        if (cardinalityOnly) {
            ctx.out().integer(intersectCard(sources, order, limit));
            return;
        }
        List<Entry> result = switch (op) {
            case INTER -> intersect(sources, weights, order, aggregate);
            case UNION -> union(sources, weights, order, aggregate);
            case DIFF -> diff(sources);
        };
        result.sort(ZSetCommands::byScoreThenMember);
        if (dst != null) {
            z.replace(dst, result);
            ctx.out().integer(result.size());
        } else {
            writeEntries(ctx.out(), result, withScores);
        }
    }

    /** Score order where -0.0 equals 0.0 (as in Redis), ties by member bytes. */
    private static int byScoreThenMember(Entry a, Entry b) {
        if (a.score() < b.score()) {
            return -1;
        }
        if (a.score() > b.score()) {
            return 1;
        }
        return Bytes.compare(a.member(), b.member());
    }

    private static double aggregate(double target, double value, Aggregate how) {
        return switch (how) {
            case SUM -> {
                double s = target + value;
                // inf + -inf: Redis keeps the convention that the result is 0.
                yield Double.isNaN(s) ? 0.0 : s;
            }
            case MIN -> value < target ? value : target;
            case MAX -> value > target ? value : target;
        };
    }

    private static double weighted(double score, double weight) {
        double v = score * weight;
        return Double.isNaN(v) ? 0.0 : v;
    }

    private static List<Entry> intersect(ZSetType.Source[] sources, double[] weights, Integer[] order, Aggregate how)
            throws StorageException, ErrorReply {
        List<Entry> out = new ArrayList<>();
        ZSetType.Source first = sources[order[0]];
        if (first.size() == 0) {
            return out;
        }
        for (Entry e : first.entries()) {
            double score = weighted(e.score(), weights[order[0]]);
            boolean everywhere = true;
            for (int k = 1; k < order.length; k++) {
                Double s = sources[order[k]].score(e.member());
                if (s == null) {
                    everywhere = false;
                    break;
                }
                score = aggregate(score, s * weights[order[k]], how);
            }
            if (everywhere) {
                out.add(new Entry(e.member(), score));
            }
        }
        return out;
    }

    private static long intersectCard(ZSetType.Source[] sources, Integer[] order, long limit)
            throws StorageException, ErrorReply {
        ZSetType.Source first = sources[order[0]];
        long count = 0;
        if (first.size() == 0) {
            return 0;
        }
        for (Entry e : first.entries()) {
            boolean everywhere = true;
            for (int k = 1; k < order.length && everywhere; k++) {
                everywhere = sources[order[k]].score(e.member()) != null;
            }
            if (everywhere) {
                count++;
                if (limit > 0 && count >= limit) {
                    break;
                }
            }
        }
        return count;
    }

    private static List<Entry> union(ZSetType.Source[] sources, double[] weights, Integer[] order, Aggregate how)
            throws StorageException {
        Map<ByteKey, double[]> acc = new LinkedHashMap<>();
        for (int idx : order) {
            for (Entry e : sources[idx].entries()) {
                double score = weighted(e.score(), weights[idx]);
                double[] cur = acc.get(new ByteKey(e.member()));
                if (cur == null) {
                    acc.put(new ByteKey(e.member()), new double[] {score});
                } else {
                    cur[0] = aggregate(cur[0], score, how);
                }
            }
        }
        List<Entry> out = new ArrayList<>(acc.size());
        for (Map.Entry<ByteKey, double[]> e : acc.entrySet()) {
            out.add(new Entry(e.getKey().bytes(), e.getValue()[0]));
        }
        return out;
    }

    /** Members of the first input that no other input has, with their first-input scores (no weights in ZDIFF). */
    private static List<Entry> diff(ZSetType.Source[] sources) throws StorageException, ErrorReply {
        List<Entry> out = new ArrayList<>();
        for (Entry e : sources[0].entries()) {
            boolean elsewhere = false;
            for (int k = 1; k < sources.length && !elsewhere; k++) {
                elsewhere = sources[k].score(e.member()) != null;
            }
            if (!elsewhere) {
                out.add(e);
            }
        }
        return out;
    }

    // ---- ZSCAN ----

    private static void zscan(ExecContext ctx, byte[][] argv, ScanCursors cursors) throws ErrorReply, StorageException {
        ZSetType z = new ZSetType(ctx.txn());
        // Scan replies stay flat in RESP3, scores as plain strings (like Redis).
        ScanArgs.collection(ctx, argv, cursors, z, z::scan, 2, (out, e) -> {
            out.bulk(e.member());
            out.bulk(RespWriter.formatDouble(e.score()));
        });
    }

    // ---- replies and argument parsing ----

    /**
     * Members, optionally with scores: RESP2 one flat array (member, score, ...); RESP3 an array of
     * [member, score] pairs, as Redis 7 answers.
     */
    private static void writeEntries(Reply out, List<Entry> entries, boolean withScores) {
        if (!withScores) {
            out.arrayHeader(entries.size());
            for (Entry e : entries) {
                out.bulk(e.member());
            }
            return;
        }
        boolean pairs = out.resp3();
        out.arrayHeader(pairs ? entries.size() : entries.size() * 2L);
        for (Entry e : entries) {
            if (pairs) {
                out.arrayHeader(2);
            }
            out.bulk(e.member());
            out.dbl(e.score());
        }
    }

    /** A score argument (ZADD, ZINCRBY): Redis's strict double. */
    private static double strictDouble(byte[] arg) throws ErrorReply {
        Double d = CFloat.parseDouble(arg);
        if (d == null) {
            throw ErrorReply.notFloat();
        }
        return d;
    }

    /** Redis's integer argument (string2ll rules), or null. */
    private static Long parseInteger(byte[] s) {
        return RedisNumbers.isLong(s) ? RedisNumbers.parseLong(s) : null;
    }

    /** ZRANGEBYSCORE-style bounds: strtod number, '(' for exclusive, inf allowed, NaN not. */
    static ScoreRange scoreRange(byte[] min, byte[] max) throws ErrorReply {
        double[] lo = scoreBound(min);
        double[] hi = scoreBound(max);
        if (lo == null || hi == null) {
            throw new ErrorReply(NOT_SCORE_RANGE);
        }
        return new ScoreRange(lo[0], lo[1] != 0, hi[0], hi[1] != 0);
    }

    /** {value, exclusive ? 1 : 0}, or null when not a valid bound. */
    private static double[] scoreBound(byte[] arg) {
        boolean exclusive = arg.length > 0 && arg[0] == '(';
        CFloat.Strtod r = CFloat.strtod(arg, exclusive ? 1 : 0);
        // Like strtod's end pointer: the whole argument must be read (an empty number reads as 0).
        if (r.end() != arg.length || Double.isNaN(r.value())) {
            return null;
        }
        return new double[] {r.value(), exclusive ? 1 : 0};
    }

    /** ZRANGEBYLEX-style bounds: '[' inclusive, '(' exclusive, '-' and '+' the extremes. */
    static LexRange lexRange(byte[] min, byte[] max) throws ErrorReply {
        Object[] lo = lexBound(min);
        Object[] hi = lexBound(max);
        if (lo == null || hi == null) {
            throw new ErrorReply(NOT_LEX_RANGE);
        }
        return new LexRange((byte[]) lo[0], (Boolean) lo[1], (byte[]) hi[0], (Boolean) hi[1]);
    }

    private static Object[] lexBound(byte[] arg) {
        if (arg.length == 0) {
            return null;
        }
        // Redis reads the argument as a C string here: "+" or "-" must end at the first NUL.
        boolean alone = arg.length == 1 || arg[1] == 0;
        return switch (arg[0]) {
            case '+' -> alone ? new Object[] {LexRange.MAX, true} : null;
            case '-' -> alone ? new Object[] {LexRange.MIN, true} : null;
            case '(' -> new Object[] {Arrays.copyOfRange(arg, 1, arg.length), true};
            case '[' -> new Object[] {Arrays.copyOfRange(arg, 1, arg.length), false};
            default -> null;
        };
    }
}
