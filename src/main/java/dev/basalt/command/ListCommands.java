package dev.basalt.command;

import static dev.basalt.command.CommandFlag.BLOCKING;
import static dev.basalt.command.CommandFlag.FAST;
import static dev.basalt.command.CommandFlag.NOSCRIPT;
import static dev.basalt.command.CommandFlag.READONLY;
import static dev.basalt.command.CommandFlag.WRITE;
import static dev.basalt.command.CommandSpec.command;

import dev.basalt.config.KeyspaceEventFlags;
import dev.basalt.protocol.ErrorReply;
import dev.basalt.protocol.Reply;
import dev.basalt.storage.StorageException;
import dev.basalt.types.ListType;
import dev.basalt.util.Bytes;
import dev.basalt.util.RedisNumbers;
import java.util.Arrays;
import java.util.List;

/**
 * The list commands with Redis 7.0's replies and errors, including the blocking ones: BLPOP, BRPOP,
 * BLMOVE, BRPOPLPUSH and BLMPOP park the client through {@link ExecContext#block} when nothing can be
 * served (and answer at once inside EXEC, as Redis does for a client that may not block).
 * Argument errors come in Redis's order: for most commands the arguments are checked before the key,
 * but LINDEX and LSET look the key up first.
 */
final class ListCommands {
    private ListCommands() {
    }

    private static final String GROUP = "list";

    static void register(CommandTable t) {
        t.add(command("lpush", -3).event(KeyspaceEventFlags.LIST, "lpush").flags(WRITE, FAST).keys(1, 1, 1).group(GROUP).since("1.0.0")
                .summary("Prepend one or multiple elements to a list")
                .handler((ctx, argv) -> push(ctx, argv, true, true)));
        t.add(command("rpush", -3).event(KeyspaceEventFlags.LIST, "rpush").flags(WRITE, FAST).keys(1, 1, 1).group(GROUP).since("1.0.0")
                .summary("Append one or multiple elements to a list")
                .handler((ctx, argv) -> push(ctx, argv, false, true)));
        t.add(command("lpushx", -3).event(KeyspaceEventFlags.LIST, "lpush").flags(WRITE, FAST).keys(1, 1, 1).group(GROUP).since("2.2.0")
                .summary("Prepend an element to a list, only if the list exists")
                .handler((ctx, argv) -> push(ctx, argv, true, false)));
        t.add(command("rpushx", -3).event(KeyspaceEventFlags.LIST, "rpush").flags(WRITE, FAST).keys(1, 1, 1).group(GROUP).since("2.2.0")
                .summary("Append an element to a list, only if the list exists")
                .handler((ctx, argv) -> push(ctx, argv, false, false)));
        t.add(command("lpop", -2).event(KeyspaceEventFlags.LIST, "lpop").flags(WRITE, FAST).keys(1, 1, 1).group(GROUP).since("1.0.0")
                .summary("Remove and get the first elements in a list").handler((ctx, argv) -> pop(ctx, argv, true)));
        t.add(command("rpop", -2).event(KeyspaceEventFlags.LIST, "rpop").flags(WRITE, FAST).keys(1, 1, 1).group(GROUP).since("1.0.0")
                .summary("Remove and get the last elements in a list").handler((ctx, argv) -> pop(ctx, argv, false)));
        t.add(command("llen", 2).flags(READONLY, FAST).keys(1, 1, 1).group(GROUP).since("1.0.0")
                .summary("Get the length of a list").handler(ListCommands::llen));
        t.add(command("lindex", 3).flags(READONLY).keys(1, 1, 1).group(GROUP).since("1.0.0")
                .summary("Get an element from a list by its index").handler(ListCommands::lindex));
        t.add(command("lset", 4).event(KeyspaceEventFlags.LIST, "lset").flags(WRITE).keys(1, 1, 1).group(GROUP).since("1.0.0")
                .summary("Set the value of an element in a list by its index").handler(ListCommands::lset));
        t.add(command("lrange", 4).flags(READONLY).keys(1, 1, 1).group(GROUP).since("1.0.0")
                .summary("Get a range of elements from a list").handler(ListCommands::lrange));
        t.add(command("ltrim", 4).event(KeyspaceEventFlags.LIST, "ltrim").flags(WRITE).keys(1, 1, 1).group(GROUP).since("1.0.0")
                .summary("Trim a list to the specified range").handler(ListCommands::ltrim));
        t.add(command("lrem", 4).event(KeyspaceEventFlags.LIST, "lrem").flags(WRITE).keys(1, 1, 1).group(GROUP).since("1.0.0")
                .summary("Remove elements from a list").handler(ListCommands::lrem));
        t.add(command("linsert", 5).event(KeyspaceEventFlags.LIST, "linsert").flags(WRITE).keys(1, 1, 1).group(GROUP).since("2.2.0")
                .summary("Insert an element before or after another element in a list").handler(ListCommands::linsert));
        t.add(command("lpos", -3).flags(READONLY).keys(1, 1, 1).group(GROUP).since("6.0.6")
                .summary("Return the index of matching elements on a list").handler(ListCommands::lpos));
        t.add(command("lmove", 5).flags(WRITE).keys(1, 2, 1).group(GROUP).since("6.2.0")
                .summary("Pop an element from a list, push it to another list and return it")
                .handler((ctx, argv) -> lmove(ctx, argv[1], argv[2], side(argv[3]), side(argv[4]))));
        t.add(command("rpoplpush", 3).flags(WRITE).keys(1, 2, 1).group(GROUP).since("1.2.0")
                .summary("Remove the last element in a list, prepend it to another list and return it")
                .handler((ctx, argv) -> lmove(ctx, argv[1], argv[2], false, true)));
        t.add(command("lmpop", -4).flags(WRITE).keys(KeyExtractor.numkeys(1, false, 1)).group(GROUP).since("7.0.0")
                .summary("Pop elements from a list").handler((ctx, argv) -> lmpop(ctx, argv, 1, -1)));
        t.add(command("blpop", -3).event(KeyspaceEventFlags.LIST, "lpop").flags(WRITE, NOSCRIPT, BLOCKING).keys(1, -2, 1).group(GROUP).since("2.0.0")
                .summary("Remove and get the first element in a list, or block until one is available")
                .handler((ctx, argv) -> blockingPop(ctx, argv, true)));
        t.add(command("brpop", -3).event(KeyspaceEventFlags.LIST, "rpop").flags(WRITE, NOSCRIPT, BLOCKING).keys(1, -2, 1).group(GROUP).since("2.0.0")
                .summary("Remove and get the last element in a list, or block until one is available")
                .handler((ctx, argv) -> blockingPop(ctx, argv, false)));
        t.add(command("blmove", 6).flags(WRITE, NOSCRIPT, BLOCKING).keys(1, 2, 1).group(GROUP).since("6.2.0")
                .summary("Pop an element from a list, push it to another list and return it; "
                        + "or block until one is available")
                .handler((ctx, argv) -> {
                    boolean from = side(argv[3]);
                    boolean to = side(argv[4]);
                    blockingMove(ctx, argv[1], argv[2], from, to, argv[5]);
                }));
        t.add(command("brpoplpush", 4).flags(WRITE, NOSCRIPT, BLOCKING).keys(1, 2, 1).group(GROUP).since("2.2.0")
                .summary("Pop an element from a list, push it to another list and return it; "
                        + "or block until one is available")
                .handler((ctx, argv) -> blockingMove(ctx, argv[1], argv[2], false, true, argv[3])));
        t.add(command("blmpop", -5).flags(WRITE, BLOCKING).keys(KeyExtractor.numkeys(2, false, 1)).group(GROUP).since("7.0.0")
                .summary("Pop elements from a list, or block until one is available")
                .handler((ctx, argv) -> {
                    long timeout = BlockRequest.parseTimeoutSeconds(argv[1]);
                    lmpop(ctx, argv, 2, timeout);
                }));
    }

    private static void push(ExecContext ctx, byte[][] argv, boolean left, boolean create)
            throws ErrorReply, StorageException {
        List<byte[]> elements = Arrays.asList(argv).subList(2, argv.length);
        ctx.out().integer(new ListType(ctx.txn()).push(argv[1], elements, left, create));
    }

    private static void pop(ExecContext ctx, byte[][] argv, boolean left) throws ErrorReply, StorageException {
        if (argv.length > 3) {
            throw ErrorReply.wrongArgs(left ? "lpop" : "rpop");
        }
        Reply out = ctx.out();
        ListType lists = new ListType(ctx.txn());
        if (argv.length == 2) {
            List<byte[]> popped = lists.pop(argv[1], left, 1);
            out.bulk(popped == null ? null : popped.get(0));
            return;
        }
        long count = positive(argv[2], "ERR value is out of range, must be positive");
        if (lists.metadata(argv[1]) == null) {
            out.nullArray();
            return;
        }
        out.bulkArray(count == 0 ? List.of() : lists.pop(argv[1], left, count));
    }

    private static void llen(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        ctx.out().integer(new ListType(ctx.txn()).length(argv[1]));
    }

    private static void lindex(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        ListType lists = new ListType(ctx.txn());
        if (lists.metadata(argv[1]) == null) {
            ctx.out().nullBulk();
            return;
        }
        ctx.out().bulk(lists.index(argv[1], Arguments.integer(argv[2])));
    }

    private static void lset(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        ListType lists = new ListType(ctx.txn());
        if (lists.metadata(argv[1]) == null) {
            throw new ErrorReply(ListType.NO_SUCH_KEY);
        }
        lists.set(argv[1], Arguments.integer(argv[2]), argv[3]);
        ctx.out().ok();
    }

    private static void lrange(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        long start = Arguments.integer(argv[2]);
        long stop = Arguments.integer(argv[3]);
        Reply out = ctx.out();
        new ListType(ctx.txn()).range(argv[1], start, stop, out::arrayHeader, out::bulk);
    }

    private static void ltrim(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        long start = Arguments.integer(argv[2]);
        long stop = Arguments.integer(argv[3]);
        new ListType(ctx.txn()).trim(argv[1], start, stop);
        ctx.out().ok();
    }

    private static void lrem(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        long count = Arguments.integer(argv[2]);
        ctx.out().integer(new ListType(ctx.txn()).remove(argv[1], count, argv[3]));
    }

    private static void linsert(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        boolean before;
        if (Bytes.eq(argv[2], "before")) {
            before = true;
        } else if (Bytes.eq(argv[2], "after")) {
            before = false;
        } else {
            throw ErrorReply.syntax();
        }
        ctx.out().integer(new ListType(ctx.txn()).insert(argv[1], before, argv[3], argv[4]));
    }

    private static void lpos(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        long rank = 1;
        long count = -1; // -1: the option is absent, so the reply is one position or nil
        long maxlen = 0;
        for (int i = 3; i < argv.length; i++) {
            boolean hasValue = i + 1 < argv.length;
            if (Bytes.eq(argv[i], "rank") && hasValue) {
                rank = Arguments.integer(argv[++i]);
                if (rank == 0) {
                    throw new ErrorReply("ERR RANK can't be zero: use 1 to start from the first match, "
                            + "2 from the second ... or use negative to start from the end of the list");
                }
            } else if (Bytes.eq(argv[i], "count") && hasValue) {
                count = positive(argv[++i], "ERR COUNT can't be negative");
            } else if (Bytes.eq(argv[i], "maxlen") && hasValue) {
                maxlen = positive(argv[++i], "ERR MAXLEN can't be negative");
            } else {
                throw ErrorReply.syntax();
            }
        }
        List<Long> found = new ListType(ctx.txn()).positions(argv[1], argv[2], rank, count, maxlen);
        Reply out = ctx.out();
        if (count == -1) {
            if (found == null || found.isEmpty()) {
                out.nullBulk();
            } else {
                out.integer(found.get(0));
            }
            return;
        }
        if (found == null) {
            out.arrayHeader(0);
            return;
        }
        out.arrayHeader(found.size());
        for (long p : found) {
            out.integer(p);
        }
    }

    private static void lmove(ExecContext ctx, byte[] src, byte[] dst, boolean fromLeft, boolean toLeft)
            throws ErrorReply, StorageException {
        byte[] moved = new ListType(ctx.txn()).move(src, dst, fromLeft, toLeft);
        if (moved != null) {
            // Redis says the push first.
            ctx.notify(KeyspaceEventFlags.LIST, toLeft ? "lpush" : "rpush", dst);
            ctx.notify(KeyspaceEventFlags.LIST, fromLeft ? "lpop" : "rpop", src);
        }
        ctx.out().bulk(moved);
    }

    /**
     * LMPOP (timeout -1) and BLMPOP: numkeys at argv[numkeysAt], the keys, LEFT|RIGHT, then COUNT n at
     * most once. Replies [key, [elements]] for the first non-empty list, else a null array.
     */
    private static void lmpop(ExecContext ctx, byte[][] argv, int numkeysAt, long timeout)
            throws ErrorReply, StorageException {
        long numkeys = ranged(argv[numkeysAt], "ERR numkeys should be greater than 0");
        // Written to avoid overflow: the LEFT|RIGHT argument comes right after the keys.
        if (numkeys >= argv.length - numkeysAt - 1) {
            throw ErrorReply.syntax();
        }
        int sideAt = numkeysAt + 1 + (int) numkeys;
        boolean left = side(argv[sideAt]);
        long count = -1;
        for (int i = sideAt + 1; i < argv.length; i++) {
            if (count == -1 && Bytes.eq(argv[i], "count") && i + 1 < argv.length) {
                count = ranged(argv[++i], "ERR count should be greater than 0");
            } else {
                throw ErrorReply.syntax();
            }
        }
        if (count == -1) {
            count = 1;
        }
        List<byte[]> keys = Arrays.asList(argv).subList(numkeysAt + 1, sideAt);
        ListType lists = new ListType(ctx.txn());
        long popCount = count;
        BlockingPop.run(ctx, keys, timeout, Reply::nullArray, Reply::nullArray, new ListPop(lists) {
            @Override
            public boolean serve(byte[] key) throws ErrorReply, StorageException {
                List<byte[]> popped = lists.pop(key, left, popCount);
                if (popped == null) {
                    return false;
                }
                ctx.notify(KeyspaceEventFlags.LIST, left ? "lpop" : "rpop", key);
                Reply out = ctx.out();
                out.arrayHeader(2);
                out.bulk(key);
                out.bulkArray(popped);
                return true;
            }
        });
    }

    /** BLPOP/BRPOP: the first non-empty list in argument order serves one element, else block. */
    private static void blockingPop(ExecContext ctx, byte[][] argv, boolean left)
            throws ErrorReply, StorageException {
        long timeout = BlockRequest.parseTimeoutSeconds(argv[argv.length - 1]);
        List<byte[]> keys = Arrays.asList(argv).subList(1, argv.length - 1);
        ListType lists = new ListType(ctx.txn());
        BlockingPop.run(ctx, keys, timeout, Reply::nullArray, Reply::nullArray, new ListPop(lists) {
            @Override
            public boolean serve(byte[] key) throws ErrorReply, StorageException {
                List<byte[]> popped = lists.pop(key, left, 1);
                if (popped == null) {
                    return false;
                }
                Reply out = ctx.out();
                out.arrayHeader(2);
                out.bulk(key);
                out.bulk(popped.get(0));
                return true;
            }
        });
    }

    /** BLMOVE/BRPOPLPUSH: LMOVE when src has elements, else block on src (inside EXEC: a null bulk). */
    private static void blockingMove(ExecContext ctx, byte[] src, byte[] dst, boolean fromLeft, boolean toLeft,
            byte[] timeoutArg) throws ErrorReply, StorageException {
        long timeout = BlockRequest.parseTimeoutSeconds(timeoutArg);
        ListType lists = new ListType(ctx.txn());
        // Inside EXEC an empty source answers a null bulk; Redis 7.0 answers every list blocking
        // timeout (BLMOVE's too) with a null array.
        BlockingPop.run(ctx, List.of(src), timeout, Reply::nullBulk, Reply::nullArray, new ListPop(lists) {
            @Override
            public boolean serve(byte[] key) throws ErrorReply, StorageException {
                if (lists.metadata(key) == null) {
                    return false;
                }
                lmove(ctx, src, dst, fromLeft, toLeft);
                return true;
            }
        });
    }

    /** Pops from lists for {@link BlockingPop}: a woken client is served from lists only. */
    private abstract static class ListPop implements BlockingPop.Source {
        private final ListType lists;

        ListPop(ListType lists) {
            this.lists = lists;
        }

        @Override
        public boolean holdsType(byte[] key) throws StorageException {
            return lists.holds(key);
        }
    }

    /** LEFT (true) or RIGHT (false), case-insensitive; anything else is a syntax error. */
    private static boolean side(byte[] arg) throws ErrorReply {
        if (Bytes.eq(arg, "left")) {
            return true;
        }
        if (Bytes.eq(arg, "right")) {
            return false;
        }
        throw ErrorReply.syntax();
    }

    /** An integer >= 0; error (Redis's message for not-an-integer and negative alike) otherwise. */
    private static long positive(byte[] arg, String error) throws ErrorReply {
        if (!RedisNumbers.isLong(arg)) {
            throw new ErrorReply(error);
        }
        long v = RedisNumbers.parseLong(arg);
        if (v < 0) {
            throw new ErrorReply(error);
        }
        return v;
    }

    /** An integer >= 1; error otherwise. */
    private static long ranged(byte[] arg, String error) throws ErrorReply {
        if (!RedisNumbers.isLong(arg)) {
            throw new ErrorReply(error);
        }
        long v = RedisNumbers.parseLong(arg);
        if (v < 1) {
            throw new ErrorReply(error);
        }
        return v;
    }
}
