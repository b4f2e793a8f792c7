package dev.basalt.command;

import static dev.basalt.command.CommandFlag.FAST;
import static dev.basalt.command.CommandFlag.LOADING;
import static dev.basalt.command.CommandFlag.READONLY;
import static dev.basalt.command.CommandFlag.STALE;
import static dev.basalt.command.CommandFlag.WRITE;
import static dev.basalt.command.CommandSpec.command;

import dev.basalt.config.KeyspaceEventFlags;
import dev.basalt.protocol.ErrorReply;
import dev.basalt.protocol.Reply;
import dev.basalt.storage.StorageException;
import dev.basalt.types.StreamGroups;
import dev.basalt.types.StreamGroups.Consumer;
import dev.basalt.types.StreamGroups.Group;
import dev.basalt.types.StreamGroups.Pending;
import dev.basalt.types.StreamId;
import dev.basalt.types.StreamMetadata;
import dev.basalt.types.StreamType;
import dev.basalt.util.ByteKey;
import dev.basalt.util.Bytes;
import java.util.Arrays;
import java.util.List;

/**
 * The stream commands on entries (XADD, XLEN, XRANGE, XREVRANGE, XDEL, XTRIM, XSETID) and XINFO, with
 * Redis 7.0's replies and errors, in Redis's order of checks; storage is {@link StreamType}'s. The
 * consumer-group commands and XREAD are {@link StreamGroupCommands}'.
 */
final class StreamCommands {
    private StreamCommands() {
    }

    static final String GROUP = "stream";
    static final String NO_SUCH_KEY = "ERR no such key";

    static void register(CommandTable t) {
        t.add(command("xadd", -5).event(KeyspaceEventFlags.STREAM, "xadd").flags(WRITE, FAST).keys(1, 1, 1).group(GROUP).since("5.0.0")
                .summary("Appends a new entry to a stream").handler(StreamCommands::xadd));
        t.add(command("xlen", 2).flags(READONLY, FAST).keys(1, 1, 1).group(GROUP).since("5.0.0")
                .summary("Return the number of entries in a stream").handler(StreamCommands::xlen));
        t.add(command("xrange", -4).flags(READONLY).keys(1, 1, 1).group(GROUP).since("5.0.0")
                .summary("Return a range of elements in a stream, with IDs matching the specified IDs interval")
                .handler((ctx, argv) -> xrange(ctx, argv, false)));
        t.add(command("xrevrange", -4).flags(READONLY).keys(1, 1, 1).group(GROUP).since("5.0.0")
                .summary("Return a range of elements in a stream, with IDs matching the specified IDs interval, "
                        + "in reverse order (from greater to smaller IDs) compared to XRANGE")
                .handler((ctx, argv) -> xrange(ctx, argv, true)));
        t.add(command("xdel", -3).event(KeyspaceEventFlags.STREAM, "xdel").flags(WRITE, FAST).keys(1, 1, 1).group(GROUP).since("5.0.0")
                .summary("Removes the specified entries from the stream").handler(StreamCommands::xdel));
        t.add(command("xtrim", -4).event(KeyspaceEventFlags.STREAM, "xtrim").flags(WRITE).keys(1, 1, 1).group(GROUP).since("5.0.0")
                .summary("Trims the stream to (approximately if '~' is passed) a certain size")
                .handler(StreamCommands::xtrim));
        t.add(command("xsetid", -3).flags(WRITE, FAST).keys(1, 1, 1).group(GROUP).since("5.0.0")
                .summary("An internal command for replicating stream values").handler(StreamCommands::xsetid));
        t.add(command("xinfo", -2).group(GROUP).since("5.0.0")
                .summary("A container for stream introspection commands")
                .subcommand(command("consumers", 4).flags(READONLY).keys(2, 2, 1).since("5.0.0")
                        .summary("List the consumers in a consumer group").handler(StreamCommands::xinfoConsumers))
                .subcommand(command("groups", 3).flags(READONLY).keys(2, 2, 1).since("5.0.0")
                        .summary("List the consumer groups of a stream").handler(StreamCommands::xinfoGroups))
                .subcommand(command("stream", -3).flags(READONLY).keys(2, 2, 1).since("5.0.0")
                        .summary("Get information about a stream").handler(StreamCommands::xinfoStream))
                .subcommand(command("help", 2).flags(LOADING, STALE).since("5.0.0")
                        .summary("Show helpful text about the different subcommands")
                        .handler((ctx, argv) -> ServerCommands.help(ctx.out(), "XINFO",
                                "CONSUMERS <key> <groupname>",
                                "    Show consumers of <groupname>.",
                                "GROUPS <key>",
                                "    Show the stream consumer groups.",
                                "STREAM <key> [FULL [COUNT <count>]",
                                "    Show information about the stream."))));
    }

    private static StreamType streams(ExecContext ctx) {
        return new StreamType(ctx.txn());
    }

    private static void xadd(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        StreamArgs.AddOrTrim a = StreamArgs.addOrTrim(argv, true);
        int fieldsAt = a.idIndex() + 1;
        int fields = argv.length - fieldsAt;
        if (fields < 2 || fields % 2 == 1) {
            throw ErrorReply.wrongArgs("xadd");
        }
        StreamId id = streams(ctx).add(argv[1], a.id() == null ? null : a.id().id(),
                a.id() == null || a.id().seqGiven(), a.noMkStream(), a.trim(),
                Arrays.asList(argv).subList(fieldsAt, argv.length));
        if (id == null) {
            ctx.out().nullBulk();
        } else {
            StreamArgs.id(ctx.out(), id);
        }
    }

    private static void xlen(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        StreamMetadata m = streams(ctx).metadata(argv[1]);
        ctx.out().integer(m == null ? 0 : m.size());
    }

    private static void xrange(ExecContext ctx, byte[][] argv, boolean reverse) throws ErrorReply, StorageException {
        StreamId start = StreamArgs.rangeStart(reverse ? argv[3] : argv[2]);
        StreamId end = StreamArgs.rangeEnd(reverse ? argv[2] : argv[3]);
        long count = -1;
        for (int j = 4; j < argv.length; j++) {
            if (Bytes.eq(argv[j], "count") && j + 1 < argv.length) {
                count = Math.max(0, StreamArgs.integer(argv[++j]));
            } else {
                throw ErrorReply.syntax();
            }
        }
        StreamType streams = streams(ctx);
        StreamMetadata m = streams.metadata(argv[1]);
        Reply out = ctx.out();
        if (m == null) {
            out.arrayHeader(0);
        } else if (count == 0) {
            out.nullArray();
        } else {
            streams.range(argv[1], m, start, end, Math.max(0, count), reverse, out::arrayHeader,
                    (id, value) -> StreamArgs.entry(out, id, value));
        }
    }

    private static void xdel(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        StreamType streams = streams(ctx);
        StreamMetadata m = streams.metadata(argv[1]);
        if (m == null) {
            ctx.out().integer(0);
            return;
        }
        ctx.out().integer(streams.delete(argv[1], m, StreamArgs.strictIds(argv, 2)));
    }

    private static void xtrim(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        StreamArgs.AddOrTrim a = StreamArgs.addOrTrim(argv, false);
        ctx.out().integer(streams(ctx).trim(argv[1], a.trim()));
    }

    private static void xsetid(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        StreamId id = StreamArgs.strictId(argv[2]);
        long entriesAdded = -1;
        StreamId maxDeleted = StreamId.MIN;
        for (int i = 3; i < argv.length; i += 2) {
            boolean more = i + 1 < argv.length;
            if (Bytes.eq(argv[i], "entriesadded") && more) {
                entriesAdded = StreamArgs.integer(argv[i + 1]);
                if (entriesAdded < 0) {
                    throw new ErrorReply("ERR entries_added must be positive");
                }
            } else if (Bytes.eq(argv[i], "maxdeletedid") && more) {
                maxDeleted = StreamArgs.strictId(argv[i + 1]);
                if (id.lessThan(maxDeleted)) {
                    throw new ErrorReply("ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id");
                }
            } else {
                throw ErrorReply.syntax();
            }
        }
        StreamType streams = streams(ctx);
        StreamMetadata m = streams.metadata(argv[1]);
        if (m == null) {
            throw new ErrorReply(NO_SUCH_KEY);
        }
        streams.setId(argv[1], m, id, entriesAdded, maxDeleted);
        ctx.notify(KeyspaceEventFlags.STREAM, "xsetid", argv[1]);
        ctx.out().ok();
    }

    // ---- XINFO ----------------------------------------------------------------------------------

    /** The stream at argv[2] for XINFO: "no such key" when missing. */
    private static StreamMetadata infoStream(StreamType streams, byte[][] argv) throws ErrorReply, StorageException {
        StreamMetadata m = streams.metadata(argv[2]);
        if (m == null) {
            throw new ErrorReply(NO_SUCH_KEY);
        }
        return m;
    }

    private static void xinfoConsumers(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        StreamGroups groups = new StreamGroups(ctx.txn());
        StreamMetadata m = infoStream(groups.streams(), argv);
        Group g = groups.group(argv[2], m, argv[3]);
        if (g == null) {
            throw StreamGroupCommands.noSuchGroup(argv[3], argv[2]);
        }
        List<Consumer> consumers = groups.consumers(argv[2], m, g.name());
        long now = ctx.txn().nowMs();
        Reply out = ctx.out();
        out.arrayHeader(consumers.size());
        for (Consumer c : consumers) {
            out.mapHeader(3);
            out.bulk("name");
            out.bulk(c.name());
            out.bulk("pending");
            out.integer(c.value().pending());
            out.bulk("idle");
            out.integer(Math.max(0, now - c.value().seenTime()));
        }
    }

    private static void xinfoGroups(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        StreamGroups groups = new StreamGroups(ctx.txn());
        StreamMetadata m = infoStream(groups.streams(), argv);
        List<Group> all = groups.groups(argv[2], m);
        Reply out = ctx.out();
        out.arrayHeader(all.size());
        for (Group g : all) {
            out.mapHeader(6);
            out.bulk("name");
            out.bulk(g.name());
            out.bulk("consumers");
            out.integer(g.value().consumers());
            out.bulk("pending");
            out.integer(g.value().pending());
            out.bulk("last-delivered-id");
            StreamArgs.id(out, g.value().lastDeliveredId());
            groupCounters(out, m, g);
        }
    }

    /** entries-read and lag, null when unknown. */
    private static void groupCounters(Reply out, StreamMetadata m, Group g) {
        out.bulk("entries-read");
        if (g.value().entriesRead() == StreamGroups.UNKNOWN) {
            out.nullBulk();
        } else {
            out.integer(g.value().entriesRead());
        }
        out.bulk("lag");
        Long lag = StreamGroups.lag(m, g.value());
        if (lag == null) {
            out.nullBulk();
        } else {
            out.integer(lag);
        }
    }

    private static void xinfoStream(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        StreamGroups groups = new StreamGroups(ctx.txn());
        StreamType streams = groups.streams();
        StreamMetadata m = infoStream(streams, argv);
        boolean full = argv.length > 3;
        long count = 10;
        if (full) {
            if (argv.length != 4 && argv.length != 6 || !Bytes.eq(argv[3], "full")
                    || argv.length == 6 && !Bytes.eq(argv[4], "count")) {
                throw ErrorReply.subcommandSyntax(Bytes.str(argv[0]), Bytes.str(argv[1]));
            }
            if (argv.length == 6) {
                count = StreamArgs.integer(argv[5]);
                if (count < 0) {
                    count = 10;
                }
            }
        }
        byte[] key = argv[2];
        Reply out = ctx.out();
        out.mapHeader(full ? 9 : 10);
        out.bulk("length");
        out.integer(m.size());
        // Kvrocks's layout has no radix tree: these are the nodes Redis would use (see StreamType).
        long nodes = StreamType.nodes(m);
        out.bulk("radix-tree-keys");
        out.integer(nodes);
        out.bulk("radix-tree-nodes");
        out.integer(nodes + 1);
        out.bulk("last-generated-id");
        StreamArgs.id(out, m.lastGeneratedId());
        out.bulk("max-deleted-entry-id");
        StreamArgs.id(out, m.maxDeletedEntryId());
        out.bulk("entries-added");
        out.integer(m.entriesAdded());
        out.bulk("recorded-first-entry-id");
        StreamArgs.id(out, m.firstEntryId());
        if (!full) {
            out.bulk("groups");
            out.integer(m.groupCount());
            out.bulk("first-entry");
            edgeEntry(out, streams, key, m, m.firstEntryId());
            out.bulk("last-entry");
            edgeEntry(out, streams, key, m, m.lastEntryId());
            return;
        }
        out.bulk("entries");
        streams.range(key, m, StreamId.MIN, StreamId.MAX, count, false, out::arrayHeader,
                (id, value) -> StreamArgs.entry(out, id, value));
        out.bulk("groups");
        List<Group> all = groups.groups(key, m);
        out.arrayHeader(all.size());
        for (Group g : all) {
            StreamGroups.PendingLists pending = groups.pendingLists(key, m, g.name(), count);
            out.mapHeader(7);
            out.bulk("name");
            out.bulk(g.name());
            out.bulk("last-delivered-id");
            StreamArgs.id(out, g.value().lastDeliveredId());
            groupCounters(out, m, g);
            out.bulk("pel-count");
            out.integer(g.value().pending());
            out.bulk("pending");
            out.arrayHeader(pending.group().size());
            for (Pending p : pending.group()) {
                out.arrayHeader(4);
                StreamArgs.id(out, p.id());
                out.bulk(p.consumer());
                out.integer(p.deliveryTime());
                out.integer(p.deliveries());
            }
            List<Consumer> consumers = groups.consumers(key, m, g.name());
            out.bulk("consumers");
            out.arrayHeader(consumers.size());
            for (Consumer c : consumers) {
                List<Pending> own = pending.byConsumer().getOrDefault(new ByteKey(c.name()), List.of());
                out.mapHeader(4);
                out.bulk("name");
                out.bulk(c.name());
                out.bulk("seen-time");
                out.integer(c.value().seenTime());
                out.bulk("pel-count");
                out.integer(c.value().pending());
                out.bulk("pending");
                out.arrayHeader(own.size());
                for (Pending p : own) {
                    out.arrayHeader(3);
                    StreamArgs.id(out, p.id());
                    out.integer(p.deliveryTime());
                    out.integer(p.deliveries());
                }
            }
        }
    }

    /** XINFO STREAM's first-entry and last-entry: the entry, or null for an empty stream. */
    private static void edgeEntry(Reply out, StreamType streams, byte[] key, StreamMetadata m, StreamId id)
            throws StorageException {
        byte[] value = m.size() == 0 ? null : streams.entry(key, m, id);
        if (value == null) {
            out.nullBulk();
        } else {
            StreamArgs.entry(out, id, value);
        }
    }
}
