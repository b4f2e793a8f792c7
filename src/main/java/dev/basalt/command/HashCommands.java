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
import dev.basalt.types.HashType.Entry;
import dev.basalt.types.HashType;
import dev.basalt.util.Bytes;
import dev.basalt.util.LongDouble;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The hash commands (Redis 7.0 semantics); storage is {@link HashType}'s business. */
final class HashCommands {
    private HashCommands() {
    }

    static void register(CommandTable t, ScanCursors cursors) {
        t.add(command("hset", -4).event(KeyspaceEventFlags.HASH, "hset").flags(WRITE, FAST).keys(1, 1, 1).group("hash").since("2.0.0")
                .summary("Sets fields of a hash, creating it if needed; answers how many fields are new.")
                .handler(HashCommands::hset));
        t.add(command("hmset", -4).event(KeyspaceEventFlags.HASH, "hset").flags(WRITE, FAST).keys(1, 1, 1).group("hash").since("2.0.0")
                .summary("Sets fields of a hash (older form of HSET answering OK).")
                .handler(HashCommands::hmset));
        t.add(command("hsetnx", 4).event(KeyspaceEventFlags.HASH, "hset").flags(WRITE, FAST).keys(1, 1, 1).group("hash").since("2.0.0")
                .summary("Sets a hash field only if it does not exist yet.")
                .handler(HashCommands::hsetnx));
        t.add(command("hget", 3).flags(READONLY, FAST).keys(1, 1, 1).group("hash").since("2.0.0")
                .summary("Answers the value of one hash field.")
                .handler(HashCommands::hget));
        t.add(command("hmget", -3).flags(READONLY, FAST).keys(1, 1, 1).group("hash").since("2.0.0")
                .summary("Answers the values of several hash fields.")
                .handler(HashCommands::hmget));
        t.add(command("hdel", -3).event(KeyspaceEventFlags.HASH, "hdel").flags(WRITE, FAST).keys(1, 1, 1).group("hash").since("2.0.0")
                .summary("Removes hash fields; the key goes with its last field.")
                .handler(HashCommands::hdel));
        t.add(command("hlen", 2).flags(READONLY, FAST).keys(1, 1, 1).group("hash").since("2.0.0")
                .summary("Answers the number of fields of a hash.")
                .handler(HashCommands::hlen));
        t.add(command("hstrlen", 3).flags(READONLY, FAST).keys(1, 1, 1).group("hash").since("3.2.0")
                .summary("Answers the length of a hash field's value.")
                .handler(HashCommands::hstrlen));
        t.add(command("hexists", 3).flags(READONLY, FAST).keys(1, 1, 1).group("hash").since("2.0.0")
                .summary("Answers whether a hash field exists.")
                .handler(HashCommands::hexists));
        t.add(command("hkeys", 2).flags(READONLY).keys(1, 1, 1).group("hash").since("2.0.0")
                .summary("Answers every field name of a hash.")
                .handler(HashCommands::hkeys));
        t.add(command("hvals", 2).flags(READONLY).keys(1, 1, 1).group("hash").since("2.0.0")
                .summary("Answers every value of a hash.")
                .handler(HashCommands::hvals));
        t.add(command("hgetall", 2).flags(READONLY).keys(1, 1, 1).group("hash").since("2.0.0")
                .summary("Answers every field and value of a hash.")
                .handler(HashCommands::hgetall));
        t.add(command("hincrby", 4).event(KeyspaceEventFlags.HASH, "hincrby").flags(WRITE, FAST).keys(1, 1, 1).group("hash").since("2.0.0")
                .summary("Adds an integer to a hash field's integer value.")
                .handler(HashCommands::hincrby));
        t.add(command("hincrbyfloat", 4).event(KeyspaceEventFlags.HASH, "hincrbyfloat").flags(WRITE, FAST).keys(1, 1, 1).group("hash").since("2.6.0")
                .summary("Adds a number to a hash field's floating point value.")
                .handler(HashCommands::hincrbyfloat));
        t.add(command("hrandfield", -2).flags(READONLY).keys(1, 1, 1).group("hash").since("6.2.0")
                .summary("Answers random fields (optionally with values) of a hash.")
                .handler(HashCommands::hrandfield));
        t.add(command("hscan", -3).flags(READONLY).keys(1, 1, 1).group("hash").since("2.8.0")
                .summary("Iterates over the fields and values of a hash with a cursor.")
                .handler((ctx, argv) -> hscan(ctx, argv, cursors)));
    }

    private static HashType hash(ExecContext ctx) {
        return new HashType(ctx.txn());
    }

    /** The field/value pairs from argv[2] on; Redis answers an odd count with the arity error. */
    private static List<Entry> pairs(byte[][] argv, String name) throws ErrorReply {
        if (argv.length % 2 != 0) {
            throw ErrorReply.wrongArgs(name);
        }
        List<Entry> entries = new ArrayList<>((argv.length - 2) / 2);
        for (int i = 2; i < argv.length; i += 2) {
            entries.add(new Entry(argv[i], argv[i + 1]));
        }
        return entries;
    }

    private static void hset(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        List<Entry> entries = pairs(argv, "hset");
        ctx.out().integer(hash(ctx).set(argv[1], entries));
    }

    private static void hmset(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        List<Entry> entries = pairs(argv, "hmset");
        hash(ctx).set(argv[1], entries);
        ctx.out().ok();
    }

    private static void hsetnx(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        ctx.out().integer(hash(ctx).setIfAbsent(argv[1], argv[2], argv[3]) ? 1 : 0);
    }

    private static void hget(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        ctx.out().bulk(hash(ctx).get(argv[1], argv[2]));
    }

    private static void hmget(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        List<byte[]> values = hash(ctx).getMany(argv[1], Arrays.asList(argv).subList(2, argv.length));
        ctx.out().bulkArray(values);
    }

    private static void hdel(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        ctx.out().integer(hash(ctx).deleteFields(argv[1], Arrays.asList(argv).subList(2, argv.length)));
    }

    private static void hlen(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        ctx.out().integer(hash(ctx).length(argv[1]));
    }

    private static void hstrlen(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        ctx.out().integer(hash(ctx).valueLength(argv[1], argv[2]));
    }

    private static void hexists(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        ctx.out().integer(hash(ctx).fieldExists(argv[1], argv[2]) ? 1 : 0);
    }

    // HKEYS, HVALS and HGETALL write each field as it is read: a hash of millions is never held whole.

    private static void hkeys(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        Reply out = ctx.out();
        hash(ctx).entries(argv[1], out::arrayHeader, (field, value) -> out.bulk(field));
    }

    private static void hvals(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        Reply out = ctx.out();
        hash(ctx).entries(argv[1], out::arrayHeader, (field, value) -> out.bulk(value));
    }

    private static void hgetall(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        Reply out = ctx.out();
        hash(ctx).entries(argv[1], out::mapHeader, (field, value) -> {
            out.bulk(field);
            out.bulk(value);
        });
    }

    private static void hincrby(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        long incr = integer(argv[3]);
        ctx.out().integer(hash(ctx).incrBy(argv[1], argv[2], incr));
    }

    private static void hincrbyfloat(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        LongDouble incr = LongDouble.parse(argv[3]);
        if (incr == null) {
            throw ErrorReply.notFloat();
        }
        if (incr.isInfinite()) {
            throw new ErrorReply("ERR value is NaN or Infinity");
        }
        ctx.out().bulk(hash(ctx).incrByFloat(argv[1], argv[2], incr));
    }

    private static void hrandfield(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        HashType hash = hash(ctx);
        Reply out = ctx.out();
        if (argv.length == 2) {
            Entry e = hash.randomEntry(argv[1]);
            out.bulk(e == null ? null : e.field());
            return;
        }
        long count = integer(argv[2]);
        if (count == Long.MIN_VALUE) {
            throw new ErrorReply("ERR value is out of range, value must between "
                    + -Long.MAX_VALUE + " and " + Long.MAX_VALUE);
        }
        if (argv.length > 4 || (argv.length == 4 && !Bytes.eq(argv[3], "withvalues"))) {
            throw ErrorReply.syntax();
        }
        boolean withValues = argv.length == 4;
        // Redis bounds the count so that the RESP2 reply length (2 * count) cannot overflow.
        if (withValues && (count < -Long.MAX_VALUE / 2 || count > Long.MAX_VALUE / 2)) {
            throw new ErrorReply("ERR value is out of range");
        }
        if (hash.metadata(argv[1]) == null || count == 0) {
            out.arrayHeader(0);
            return;
        }
        if (count > 0) {
            List<Entry> picked = hash.randomDistinct(argv[1], count);
            randomHeader(out, picked.size(), withValues);
            for (Entry e : picked) {
                randomEntry(out, e, withValues);
            }
        } else {
            randomHeader(out, -count, withValues);
            hash.randomWithRepeats(argv[1], -count, e -> randomEntry(out, e, withValues));
        }
    }

    /** RESP2: a flat array (field, value, ...); RESP3 with values: an array of [field, value] pairs. */
    private static void randomHeader(Reply out, long n, boolean withValues) {
        out.arrayHeader(withValues && !out.resp3() ? n * 2 : n);
    }

    private static void randomEntry(Reply out, Entry e, boolean withValues) {
        if (withValues && out.resp3()) {
            out.arrayHeader(2);
        }
        out.bulk(e.field());
        if (withValues) {
            out.bulk(e.value());
        }
    }

    private static void hscan(ExecContext ctx, byte[][] argv, ScanCursors cursors) throws ErrorReply, StorageException {
        HashType hash = hash(ctx);
        ScanArgs.collection(ctx, argv, cursors, hash, hash::scan, 2, (out, e) -> {
            out.bulk(e.field());
            out.bulk(e.value());
        });
    }
}
