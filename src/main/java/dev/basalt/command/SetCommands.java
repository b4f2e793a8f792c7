package dev.basalt.command;

import static dev.basalt.command.Arguments.integer;
import static dev.basalt.command.CommandFlag.FAST;
import static dev.basalt.command.CommandFlag.READONLY;
import static dev.basalt.command.CommandFlag.WRITE;
import static dev.basalt.command.CommandSpec.command;

import dev.basalt.command.ScanCursors;
import dev.basalt.config.KeyspaceEventFlags;
import dev.basalt.protocol.ErrorReply;
import dev.basalt.protocol.Reply;
import dev.basalt.storage.StorageException;
import dev.basalt.types.CollectionMetadata;
import dev.basalt.types.SetType;
import dev.basalt.util.Bytes;
import dev.basalt.util.RedisNumbers;
import java.util.Arrays;
import java.util.List;

/** The set commands, Redis 7.0 semantics. */
final class SetCommands {
    private SetCommands() {
    }

    private static final String GROUP = "set";

    static void register(CommandTable t, ScanCursors cursors) {
        t.add(command("sadd", -3).event(KeyspaceEventFlags.SET, "sadd").flags(WRITE, FAST).keys(1, 1, 1).group(GROUP).since("1.0.0")
                .summary("Add one or more members to a set").handler(SetCommands::sadd));
        t.add(command("srem", -3).event(KeyspaceEventFlags.SET, "srem").flags(WRITE, FAST).keys(1, 1, 1).group(GROUP).since("1.0.0")
                .summary("Remove one or more members from a set").handler(SetCommands::srem));
        t.add(command("scard", 2).flags(READONLY, FAST).keys(1, 1, 1).group(GROUP).since("1.0.0")
                .summary("Get the number of members in a set").handler(SetCommands::scard));
        t.add(command("sismember", 3).flags(READONLY, FAST).keys(1, 1, 1).group(GROUP).since("1.0.0")
                .summary("Determine if a given value is a member of a set").handler(SetCommands::sismember));
        t.add(command("smismember", -3).flags(READONLY, FAST).keys(1, 1, 1).group(GROUP).since("6.2.0")
                .summary("Returns the membership associated with the given elements for a set")
                .handler(SetCommands::smismember));
        t.add(command("smembers", 2).flags(READONLY).keys(1, 1, 1).group(GROUP).since("1.0.0")
                .summary("Get all the members in a set").handler(SetCommands::smembers));
        t.add(command("srandmember", -2).flags(READONLY).keys(1, 1, 1).group(GROUP).since("1.0.0")
                .summary("Get one or multiple random members from a set").handler(SetCommands::srandmember));
        t.add(command("spop", -2).event(KeyspaceEventFlags.SET, "spop").flags(WRITE, FAST).keys(1, 1, 1).group(GROUP).since("1.0.0")
                .summary("Remove and return one or multiple random members from a set").handler(SetCommands::spop));
        t.add(command("smove", 4).flags(WRITE, FAST).keys(1, 2, 1).group(GROUP).since("1.0.0")
                .summary("Move a member from one set to another").handler(SetCommands::smove));
        t.add(command("sinter", -2).flags(READONLY).keys(1, -1, 1).group(GROUP).since("1.0.0")
                .summary("Intersect multiple sets").handler(SetCommands::sinter));
        t.add(command("sintercard", -3).flags(READONLY).keys(KeyExtractor.numkeys(1, false, 0)).group(GROUP)
                .since("7.0.0").summary("Intersect multiple sets and return the cardinality of the result")
                .handler(SetCommands::sintercard));
        t.add(command("sunion", -2).flags(READONLY).keys(1, -1, 1).group(GROUP).since("1.0.0")
                .summary("Add multiple sets").handler(SetCommands::sunion));
        t.add(command("sdiff", -2).flags(READONLY).keys(1, -1, 1).group(GROUP).since("1.0.0")
                .summary("Subtract multiple sets").handler(SetCommands::sdiff));
        t.add(command("sinterstore", -3).event(KeyspaceEventFlags.SET, "sinterstore").flags(WRITE).keys(1, -1, 1).group(GROUP).since("1.0.0")
                .summary("Intersect multiple sets and store the resulting set in a key")
                .handler(SetCommands::sinterstore));
        t.add(command("sunionstore", -3).event(KeyspaceEventFlags.SET, "sunionstore").flags(WRITE).keys(1, -1, 1).group(GROUP).since("1.0.0")
                .summary("Add multiple sets and store the resulting set in a key").handler(SetCommands::sunionstore));
        t.add(command("sdiffstore", -3).event(KeyspaceEventFlags.SET, "sdiffstore").flags(WRITE).keys(1, -1, 1).group(GROUP).since("1.0.0")
                .summary("Subtract multiple sets and store the resulting set in a key")
                .handler(SetCommands::sdiffstore));
        t.add(command("sscan", -3).flags(READONLY).keys(1, 1, 1).group(GROUP).since("2.8.0")
                .summary("Incrementally iterate Set elements").handler((ctx, argv) -> sscan(ctx, argv, cursors)));
    }

    private static SetType sets(ExecContext ctx) {
        return new SetType(ctx.txn());
    }

    private static List<byte[]> args(byte[][] argv, int from) {
        return Arrays.asList(argv).subList(from, argv.length);
    }

    /** A member list as a RESP3 set ('~'), a plain array in RESP2. */
    private static void replySet(Reply out, List<byte[]> members) {
        out.setHeader(members.size());
        for (byte[] m : members) {
            out.bulk(m);
        }
    }

    // ---- handlers ----

    private static void sadd(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        ctx.out().integer(sets(ctx).add(argv[1], args(argv, 2)));
    }

    private static void srem(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        ctx.out().integer(sets(ctx).remove(argv[1], args(argv, 2)));
    }

    private static void scard(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        ctx.out().integer(sets(ctx).card(argv[1]));
    }

    private static void sismember(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        ctx.out().integer(sets(ctx).isMember(argv[1], argv[2]) ? 1 : 0);
    }

    private static void smismember(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        boolean[] found = sets(ctx).areMembers(argv[1], args(argv, 2));
        ctx.out().arrayHeader(found.length);
        for (boolean f : found) {
            ctx.out().integer(f ? 1 : 0);
        }
    }

    /** Streams the members from the prefix scan into the reply; the set is never held in memory. */
    private static void smembers(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        SetType sets = sets(ctx);
        CollectionMetadata m = sets.metadata(argv[1]);
        Reply out = ctx.out();
        if (m == null) {
            out.setHeader(0);
            return;
        }
        out.setHeader(m.size());
        long written = sets.members(argv[1], m, member -> {
            out.bulk(member);
            return true;
        });
        if (written != m.size()) {
            // The header already promised m.size() members; failing discards the partial reply.
            throw new StorageException("set size in metadata does not match its members for key '"
                    + Bytes.str(argv[1]) + "'");
        }
    }

    private static void srandmember(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        if (argv.length > 3) {
            throw ErrorReply.syntax();
        }
        if (argv.length == 2) {
            ctx.out().bulk(sets(ctx).randomMember(argv[1]));
            return;
        }
        long count = integer(argv[2]);
        if (count == Long.MIN_VALUE) {
            throw new ErrorReply("ERR value is out of range, value must between -9223372036854775807 and "
                    + "9223372036854775807");
        }
        // Picks may repeat, so this is an array even in RESP3.
        ctx.out().bulkArray(sets(ctx).randomMembers(argv[1], count));
    }

    private static void spop(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        if (argv.length > 3) {
            throw ErrorReply.syntax();
        }
        if (argv.length == 2) {
            ctx.out().bulk(sets(ctx).pop(argv[1]));
            return;
        }
        long count;
        try {
            count = RedisNumbers.parseLong(argv[2]);
        } catch (NumberFormatException e) {
            count = -1;
        }
        if (count < 0) {
            throw new ErrorReply("ERR value is out of range, must be positive");
        }
        replySet(ctx.out(), sets(ctx).pop(argv[1], count));
    }

    private static void smove(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        boolean moved = sets(ctx).move(argv[1], argv[2], argv[3]);
        if (moved) {
            ctx.notify(KeyspaceEventFlags.SET, "srem", argv[1]);
            ctx.notify(KeyspaceEventFlags.SET, "sadd", argv[2]);
        }
        ctx.out().integer(moved ? 1 : 0);
    }

    private static void sinter(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        replySet(ctx.out(), sets(ctx).inter(args(argv, 1)));
    }

    private static void sunion(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        replySet(ctx.out(), sets(ctx).union(args(argv, 1)));
    }

    private static void sdiff(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        replySet(ctx.out(), sets(ctx).diff(args(argv, 1)));
    }

    private static void sinterstore(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        SetType sets = sets(ctx);
        ctx.out().integer(sets.store(argv[1], sets.inter(args(argv, 2))));
    }

    private static void sunionstore(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        SetType sets = sets(ctx);
        ctx.out().integer(sets.store(argv[1], sets.union(args(argv, 2))));
    }

    private static void sdiffstore(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        SetType sets = sets(ctx);
        ctx.out().integer(sets.store(argv[1], sets.diff(args(argv, 2))));
    }

    // ---- SINTERCARD ----

    /** SINTERCARD's numkeys, validated as Redis does before anything else. */
    private static int numkeys(byte[][] argv) throws ErrorReply {
        long n;
        try {
            n = RedisNumbers.parseLong(argv[1]);
        } catch (NumberFormatException e) {
            n = 0;
        }
        if (n <= 0) {
            throw new ErrorReply("ERR numkeys should be greater than 0");
        }
        if (n > argv.length - 2) {
            throw new ErrorReply("ERR Number of keys can't be greater than number of args");
        }
        return (int) n;
    }

    private static void sintercard(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        int n = numkeys(argv);
        long limit = 0;
        for (int i = 2 + n; i < argv.length; i++) {
            if (Bytes.eq(argv[i], "limit") && i + 1 < argv.length) {
                long l;
                try {
                    l = RedisNumbers.parseLong(argv[++i]);
                } catch (NumberFormatException e) {
                    l = -1;
                }
                if (l < 0) {
                    throw new ErrorReply("ERR LIMIT can't be negative");
                }
                limit = l;
            } else {
                throw ErrorReply.syntax();
            }
        }
        ctx.out().integer(sets(ctx).interCard(args(argv, 2).subList(0, n), limit));
    }

    // ---- SSCAN ----

    private static void sscan(ExecContext ctx, byte[][] argv, ScanCursors cursors) throws ErrorReply, StorageException {
        SetType sets = sets(ctx);
        ScanArgs.collection(ctx, argv, cursors, sets, sets::scan, 1, Reply::bulk);
    }
}
