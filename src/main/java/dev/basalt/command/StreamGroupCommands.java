package dev.basalt.command;

import static dev.basalt.command.CommandFlag.BLOCKING;
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
import dev.basalt.types.StreamGroups.Delivered;
import dev.basalt.types.StreamGroups.Group;
import dev.basalt.types.StreamId;
import dev.basalt.types.StreamMetadata;
import dev.basalt.types.StreamType;
import dev.basalt.util.Bytes;
import dev.basalt.util.RedisNumbers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * XREAD, XREADGROUP and the consumer-group commands (XGROUP, XACK, XPENDING, XCLAIM, XAUTOCLAIM) with
 * Redis 7.0's replies and errors; storage is {@link StreamGroups}'.
 *
 * <p>XREAD and XREADGROUP with BLOCK park the client through {@link ExecContext#block} when nothing can
 * be served. XREAD's {@code $} is resolved when the client blocks: the command runs again with the ID
 * it stood for. A woken reader is served as Redis serves it (blocked.c): from the first of its streams
 * whose last generated ID passed what it waits for, with COUNT 1000 when it gave none; an XREADGROUP
 * reader whose stream was deleted or whose group was destroyed gets an error.
 */
final class StreamGroupCommands {
    private StreamGroupCommands() {
    }

    private static final String GROUP = StreamCommands.GROUP;
    /** XREAD_BLOCKED_DEFAULT_COUNT: a woken reader that gave no COUNT gets at most this many entries. */
    private static final long WOKEN_COUNT = 1000;
    private static final String NO_KEY_FOR_XGROUP = "ERR The XGROUP subcommand requires the key to exist. Note that "
            + "for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.";

    static void register(CommandTable t) {
        t.add(command("xread", -4).flags(READONLY, BLOCKING).keys(argv -> readKeys(argv, false)).group(GROUP)
                .since("5.0.0")
                .summary("Return never seen elements in multiple streams, with IDs greater than the ones reported "
                        + "by the caller for each stream. Can block.")
                .handler((ctx, argv) -> read(ctx, argv, false)));
        t.add(command("xreadgroup", -7).flags(WRITE, BLOCKING).keys(argv -> readKeys(argv, true)).group(GROUP)
                .since("5.0.0")
                .summary("Return new entries from a stream using a consumer group, or access the history of the "
                        + "pending entries for a given consumer. Can block.")
                .handler((ctx, argv) -> read(ctx, argv, true)));
        t.add(command("xack", -4).flags(WRITE, FAST).keys(1, 1, 1).group(GROUP).since("5.0.0")
                .summary("Marks a pending message as correctly processed, effectively removing it from the "
                        + "pending entries list of the consumer group.")
                .handler(StreamGroupCommands::xack));
        t.add(command("xpending", -3).flags(READONLY).keys(1, 1, 1).group(GROUP).since("5.0.0")
                .summary("Return information and entries from a stream consumer group pending entries list, "
                        + "that are messages fetched but never acknowledged.")
                .handler(StreamGroupCommands::xpending));
        t.add(command("xclaim", -6).flags(WRITE, FAST).keys(1, 1, 1).group(GROUP).since("5.0.0")
                .summary("Changes (or acquires) ownership of a message in a consumer group, as if the message was "
                        + "delivered to the specified consumer.")
                .handler(StreamGroupCommands::xclaim));
        t.add(command("xautoclaim", -6).flags(WRITE, FAST).keys(1, 1, 1).group(GROUP).since("6.2.0")
                .summary("Changes (or acquires) ownership of messages in a consumer group, as if the messages "
                        + "were delivered to the specified consumer.")
                .handler(StreamGroupCommands::xautoclaim));
        t.add(command("xgroup", -2).group(GROUP).since("5.0.0")
                .summary("A container for consumer groups commands")
                .subcommand(command("create", -5).flags(WRITE).keys(2, 2, 1).since("5.0.0")
                        .summary("Create a consumer group.").handler(StreamGroupCommands::xgroupCreate))
                .subcommand(command("setid", -5).flags(WRITE).keys(2, 2, 1).since("5.0.0")
                        .summary("Set a consumer group to an arbitrary last delivered ID value.")
                        .handler(StreamGroupCommands::xgroupSetId))
                .subcommand(command("destroy", 4).flags(WRITE).keys(2, 2, 1).since("5.0.0")
                        .summary("Destroy a consumer group.").handler(StreamGroupCommands::xgroupDestroy))
                .subcommand(command("createconsumer", 5).flags(WRITE).keys(2, 2, 1).since("6.2.0")
                        .summary("Create a consumer in a consumer group.")
                        .handler(StreamGroupCommands::xgroupCreateConsumer))
                .subcommand(command("delconsumer", 5).flags(WRITE).keys(2, 2, 1).since("5.0.0")
                        .summary("Delete a consumer from a consumer group.")
                        .handler(StreamGroupCommands::xgroupDelConsumer))
                .subcommand(command("help", 2).flags(LOADING, STALE).since("5.0.0")
                        .summary("Show helpful text about the different subcommands")
                        .handler((ctx, argv) -> ServerCommands.help(ctx.out(), "XGROUP",
                                "CREATE <key> <groupname> <id|$> [option]",
                                "    Create a new consumer group. Options are:",
                                "    * MKSTREAM",
                                "      Create the empty stream if it does not exist.",
                                "    * ENTRIESREAD entries_read",
                                "      Set the group's entries_read counter (internal use).",
                                "CREATECONSUMER <key> <groupname> <consumer>",
                                "    Create a new consumer in the specified group.",
                                "DELCONSUMER <key> <groupname> <consumer>",
                                "    Remove the specified consumer.",
                                "DESTROY <key> <groupname>",
                                "    Remove the specified group.",
                                "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
                                "    Set the current group ID and entries_read counter."))));
    }

    static ErrorReply noSuchGroup(byte[] group, byte[] key) {
        return new ErrorReply("NOGROUP No such consumer group '" + Bytes.str(group) + "' for key name '"
                + Bytes.str(key) + "'");
    }

    private static ErrorReply noSuchKeyOrGroup(byte[] key, byte[] group) {
        return new ErrorReply("NOGROUP No such key '" + Bytes.str(key) + "' or consumer group '" + Bytes.str(group)
                + "'");
    }

    // ---- XREAD / XREADGROUP ---------------------------------------------------------------------

    /** XREAD's and XREADGROUP's options; the streams are argv[streamsAt, streamsAt + streams), their IDs follow. */
    private record ReadArgs(long timeoutMillis, long count, int streamsAt, int streams, byte[] group,
            byte[] consumer, boolean noack) {
        List<byte[]> keys(byte[][] argv) {
            return Arrays.asList(argv).subList(streamsAt, streamsAt + streams);
        }
    }

    /** Redis's option loop of xreadCommand, errors included. timeoutMillis is -1 without BLOCK. */
    private static ReadArgs readArgs(byte[][] argv, boolean xreadgroup) throws ErrorReply {
        long timeout = -1;
        long count = 0;
        int streamsAt = 0;
        int streams = 0;
        byte[] group = null;
        byte[] consumer = null;
        boolean noack = false;
        for (int i = 1; i < argv.length; i++) {
            int more = argv.length - i - 1;
            byte[] o = argv[i];
            if (Bytes.eq(o, "block") && more > 0) {
                i++;
                timeout = integerOr(argv[i], "ERR timeout is not an integer or out of range");
                if (timeout < 0) {
                    throw new ErrorReply("ERR timeout is negative");
                }
            } else if (Bytes.eq(o, "count") && more > 0) {
                i++;
                count = Math.max(0, StreamArgs.integer(argv[i]));
            } else if (Bytes.eq(o, "streams") && more > 0) {
                streamsAt = i + 1;
                streams = argv.length - streamsAt;
                if (streams % 2 != 0) {
                    throw new ErrorReply("ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' "
                            + "must be specified.");
                }
                streams /= 2;
                break;
            } else if (Bytes.eq(o, "group") && more >= 2) {
                if (!xreadgroup) {
                    throw new ErrorReply("ERR The GROUP option is only supported by XREADGROUP. You called XREAD "
                            + "instead.");
                }
                group = argv[i + 1];
                consumer = argv[i + 2];
                i += 2;
            } else if (Bytes.eq(o, "noack")) {
                if (!xreadgroup) {
                    throw new ErrorReply("ERR The NOACK option is only supported by XREADGROUP. You called XREAD "
                            + "instead.");
                }
                noack = true;
            } else {
                throw ErrorReply.syntax();
            }
        }
        if (streamsAt == 0) {
            throw ErrorReply.syntax();
        }
        if (xreadgroup && group == null) {
            throw new ErrorReply("ERR Missing GROUP option for XREADGROUP");
        }
        return new ReadArgs(timeout, count, streamsAt, streams, group, consumer, noack);
    }

    /** The stream keys of XREAD and XREADGROUP (after STREAMS), none when the options do not parse. */
    private static List<byte[]> readKeys(byte[][] argv, boolean xreadgroup) {
        try {
            return readArgs(argv, xreadgroup).keys(argv);
        } catch (ErrorReply e) {
            return List.of();
        }
    }

    /**
     * What one stream answers: its key and the entries a group delivered, or (XREAD) those after an ID,
     * written out as they are read.
     */
    private record Served(byte[] key, List<Delivered> delivered, StreamMetadata m, StreamId after, long count) {
        static Served delivered(byte[] key, List<Delivered> entries) {
            return new Served(key, entries, null, null, 0);
        }

        static Served after(byte[] key, StreamMetadata m, StreamId after, long count) {
            return new Served(key, null, m, after, count);
        }
    }

    private static void read(ExecContext ctx, byte[][] argv, boolean xreadgroup) throws ErrorReply, StorageException {
        ReadArgs a = readArgs(argv, xreadgroup);
        StreamGroups groups = new StreamGroups(ctx.txn());
        if (ctx.woken()) {
            readWoken(ctx, argv, a, groups);
            return;
        }
        StreamType streams = groups.streams();
        int n = a.streams();
        StreamMetadata[] metas = new StreamMetadata[n];
        Group[] found = new Group[n];
        StreamId[] after = new StreamId[n];
        boolean[] newOnly = new boolean[n];
        boolean dollar = false;
        for (int i = 0; i < n; i++) {
            byte[] key = argv[a.streamsAt() + i];
            byte[] idArg = argv[a.streamsAt() + n + i];
            StreamMetadata m = streams.metadata(key);
            metas[i] = m;
            if (xreadgroup) {
                found[i] = m == null ? null : groups.group(key, m, a.group());
                if (found[i] == null) {
                    throw new ErrorReply("NOGROUP No such key '" + Bytes.str(key) + "' or consumer group '"
                            + Bytes.str(a.group()) + "' in XREADGROUP with GROUP option");
                }
            }
            if (Bytes.eq(idArg, "$")) {
                if (xreadgroup) {
                    throw new ErrorReply("ERR The $ ID is meaningless in the context of XREADGROUP: you want to read "
                            + "the history of this consumer by specifying a proper ID, or use the > ID to get new "
                            + "messages. The $ ID would just return an empty result set.");
                }
                after[i] = m == null ? StreamId.MIN : m.lastGeneratedId();
                dollar = true;
            } else if (Bytes.eq(idArg, ">")) {
                if (!xreadgroup) {
                    throw new ErrorReply("ERR The > ID can be specified only when calling XREADGROUP using the GROUP "
                            + "<group> <consumer> option.");
                }
                newOnly[i] = true;
                after[i] = StreamId.MAX;
            } else {
                after[i] = StreamArgs.strictId(idArg);
            }
        }
        List<Served> served = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StreamMetadata m = metas[i];
            if (m == null) {
                continue;
            }
            byte[] key = argv[a.streamsAt() + i];
            if (xreadgroup && !newOnly[i]) {
                StreamId start = after[i].next();
                served.add(Served.delivered(key, groups.readHistory(key, m, found[i], a.consumer(),
                        start == null ? StreamId.MIN : start, a.count())));
            } else if (xreadgroup) {
                StreamId last = found[i].value().lastDeliveredId();
                if (m.size() > 0 && m.lastEntryId().greaterThan(last)) {
                    served.add(Served.delivered(key, groups.readNew(key, m, found[i], a.consumer(), last, a.count(),
                            a.noack())));
                }
            } else if (m.size() > 0 && m.lastEntryId().greaterThan(after[i])) {
                served.add(Served.after(key, m, after[i], a.count()));
            }
        }
        if (!served.isEmpty()) {
            reply(ctx.out(), streams, served);
            return;
        }
        if (a.timeoutMillis() < 0 || ctx.inExec()) {
            ctx.out().nullArray();
            return;
        }
        byte[][] again = null;
        if (dollar) {
            // "$" means what was last when the client blocked: it waits for entries after that.
            again = argv.clone();
            for (int i = 0; i < n; i++) {
                if (Bytes.eq(argv[a.streamsAt() + n + i], "$")) {
                    again[a.streamsAt() + n + i] = Bytes.of(after[i].toString());
                }
            }
        }
        throw ctx.block(a.keys(argv), a.timeoutMillis(), Reply::nullArray, again, xreadgroup);
    }

    /**
     * A blocked reader woken by a write to one of its streams (Redis's serveClientsBlockedOnStreamKey and
     * unblockDeletedStreamReadgroupClients): served from the first stream whose last generated ID passed
     * the one it waits for, else it waits on.
     */
    private static void readWoken(ExecContext ctx, byte[][] argv, ReadArgs a, StreamGroups groups)
            throws ErrorReply, StorageException {
        StreamType streams = groups.streams();
        long count = a.count() == 0 ? WOKEN_COUNT : a.count();
        int n = a.streams();
        for (int i = 0; i < n; i++) {
            byte[] key = argv[a.streamsAt() + i];
            StreamMetadata m = streams.holds(key) ? streams.metadata(key) : null;
            if (a.group() == null) {
                StreamId after = StreamArgs.strictId(argv[a.streamsAt() + n + i]);
                if (m != null && m.lastGeneratedId().greaterThan(after)) {
                    reply(ctx.out(), streams, List.of(Served.after(key, m, after, count)));
                    return;
                }
                continue;
            }
            if (m == null) {
                throw new ErrorReply("UNBLOCKED the stream key no longer exists");
            }
            Group g = groups.group(key, m, a.group());
            if (g == null) {
                throw new ErrorReply("NOGROUP the consumer group this client was blocked on no longer exists");
            }
            StreamId last = g.value().lastDeliveredId();
            if (m.lastGeneratedId().greaterThan(last)) {
                reply(ctx.out(), streams, List.of(Served.delivered(key, groups.readNew(key, m, g, a.consumer(), last,
                        count, a.noack()))));
                return;
            }
        }
        throw ctx.block(a.keys(argv), a.timeoutMillis(), Reply::nullArray);
    }

    /** XREAD's reply: per stream its key and entries, a map in RESP3. */
    private static void reply(Reply out, StreamType streams, List<Served> served) throws StorageException {
        if (out.resp3()) {
            out.mapHeader(served.size());
        } else {
            out.arrayHeader(served.size());
        }
        for (Served s : served) {
            if (!out.resp3()) {
                out.arrayHeader(2);
            }
            out.bulk(s.key());
            if (s.delivered() != null) {
                entries(out, s.delivered());
                continue;
            }
            StreamId start = s.after().next();
            if (start == null) {
                out.arrayHeader(0);
            } else {
                streams.range(s.key(), s.m(), start, StreamId.MAX, s.count(), false, out::arrayHeader,
                        (id, value) -> StreamArgs.entry(out, id, value));
            }
        }
    }

    private static void entries(Reply out, List<Delivered> entries) {
        out.arrayHeader(entries.size());
        for (Delivered d : entries) {
            StreamArgs.entry(out, d.id(), d.value());
        }
    }

    // ---- XACK, XPENDING -------------------------------------------------------------------------

    private static void xack(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        StreamGroups groups = new StreamGroups(ctx.txn());
        StreamMetadata m = groups.streams().metadata(argv[1]);
        Group g = m == null ? null : groups.group(argv[1], m, argv[2]);
        if (g == null) {
            ctx.out().integer(0);
            return;
        }
        ctx.out().integer(groups.ack(argv[1], m, g, StreamArgs.strictIds(argv, 3)));
    }

    private static void xpending(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        boolean summary = argv.length == 3;
        if (!summary && (argv.length < 6 || argv.length > 9)) {
            throw ErrorReply.syntax();
        }
        long minIdle = 0;
        long count = 0;
        StreamId start = null;
        StreamId end = null;
        byte[] consumer = null;
        if (!summary) {
            int at = 3;
            if (Bytes.eq(argv[3], "idle")) {
                minIdle = StreamArgs.integer(argv[4]);
                if (argv.length < 8) {
                    throw ErrorReply.syntax();
                }
                at += 2;
            }
            count = Math.max(0, StreamArgs.integer(argv[at + 2]));
            start = StreamArgs.rangeStart(argv[at]);
            end = StreamArgs.rangeEnd(argv[at + 1]);
            if (at + 3 < argv.length) {
                consumer = argv[at + 3];
            }
        }
        StreamGroups groups = new StreamGroups(ctx.txn());
        StreamMetadata m = groups.streams().metadata(argv[1]);
        Group g = m == null ? null : groups.group(argv[1], m, argv[2]);
        if (g == null) {
            throw noSuchKeyOrGroup(argv[1], argv[2]);
        }
        Reply out = ctx.out();
        if (summary) {
            StreamGroups.Summary s = groups.pendingSummary(argv[1], m, g);
            out.arrayHeader(4);
            out.integer(s.count());
            if (s.first() == null) {
                out.nullBulk();
                out.nullBulk();
                out.nullArray();
                return;
            }
            StreamArgs.id(out, s.first());
            StreamArgs.id(out, s.last());
            out.arrayHeader(s.consumers().size());
            for (Map.Entry<byte[], Long> c : s.consumers()) {
                out.arrayHeader(2);
                out.bulk(c.getKey());
                out.bulk(Long.toString(c.getValue()));
            }
            return;
        }
        if (consumer != null && groups.consumer(argv[1], m, g.name(), consumer) == null) {
            out.arrayHeader(0);
            return;
        }
        long now = ctx.txn().nowMs();
        List<StreamGroups.Pending> rows = groups.pendingRange(argv[1], m, g, start, end, count, minIdle, consumer);
        out.arrayHeader(rows.size());
        for (StreamGroups.Pending p : rows) {
            out.arrayHeader(4);
            StreamArgs.id(out, p.id());
            out.bulk(p.consumer());
            out.integer(Math.max(0, now - p.deliveryTime()));
            out.integer(p.deliveries());
        }
    }

    // ---- XCLAIM, XAUTOCLAIM ---------------------------------------------------------------------

    private static void xclaim(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        StreamGroups groups = new StreamGroups(ctx.txn());
        StreamMetadata m = groups.streams().metadata(argv[1]);
        Group g = m == null ? null : groups.group(argv[1], m, argv[2]);
        if (g == null) {
            throw noSuchKeyOrGroup(argv[1], argv[2]);
        }
        long minIdle = integerOr(argv[4], "ERR Invalid min-idle-time argument for XCLAIM");
        List<StreamId> ids = new ArrayList<>();
        int j = 5;
        for (; j < argv.length; j++) {
            StreamId id = StreamArgs.strictIdOrNull(argv[j]);
            if (id == null) {
                break;
            }
            ids.add(id);
        }
        long now = ctx.txn().nowMs();
        long deliveryTime = -1;
        long retryCount = -1;
        boolean force = false;
        boolean justId = false;
        StreamId lastId = StreamId.MIN;
        for (; j < argv.length; j++) {
            boolean more = j + 1 < argv.length;
            byte[] opt = argv[j];
            if (Bytes.eq(opt, "force")) {
                force = true;
            } else if (Bytes.eq(opt, "justid")) {
                justId = true;
            } else if (Bytes.eq(opt, "idle") && more) {
                deliveryTime = now - integerOr(argv[++j], "ERR Invalid IDLE option argument for XCLAIM");
            } else if (Bytes.eq(opt, "time") && more) {
                deliveryTime = integerOr(argv[++j], "ERR Invalid TIME option argument for XCLAIM");
            } else if (Bytes.eq(opt, "retrycount") && more) {
                retryCount = integerOr(argv[++j], "ERR Invalid RETRYCOUNT option argument for XCLAIM");
            } else if (Bytes.eq(opt, "lastid") && more) {
                lastId = StreamArgs.strictId(argv[++j]);
            } else {
                throw new ErrorReply("ERR Unrecognized XCLAIM option '" + Bytes.str(opt) + "'");
            }
        }
        List<Delivered> claimed = groups.claim(argv[1], m, g, argv[3], Math.max(0, minIdle), ids,
                new StreamGroups.ClaimOptions(deliveryTime, retryCount, force, justId, lastId));
        claimedReply(ctx.out(), claimed, justId);
    }

    private static void claimedReply(Reply out, List<Delivered> claimed, boolean justId) {
        out.arrayHeader(claimed.size());
        for (Delivered d : claimed) {
            if (justId) {
                StreamArgs.id(out, d.id());
            } else {
                StreamArgs.entry(out, d.id(), d.value());
            }
        }
    }

    /** Most entries XAUTOCLAIM's COUNT may ask for (Redis: LONG_MAX / the size of an ID). */
    private static final long MAX_AUTOCLAIM_COUNT = Long.MAX_VALUE / 16;
    /**
     * Above this COUNT Redis fails to allocate the array it reserves for deleted IDs (COUNT times 16
     * bytes) and says so; Basalt reserves nothing but answers the same where Redis certainly would.
     */
    private static final long UNALLOCATABLE_AUTOCLAIM_COUNT = 1L << 40;

    private static void xautoclaim(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        long minIdle = Math.max(0, integerOr(argv[4], "ERR Invalid min-idle-time argument for XAUTOCLAIM"));
        StreamId start = StreamArgs.rangeStart(argv[5]);
        long count = 100;
        boolean justId = false;
        for (int j = 6; j < argv.length; j++) {
            boolean more = j + 1 < argv.length;
            if (Bytes.eq(argv[j], "count") && more) {
                count = integerOr(argv[++j], "ERR COUNT must be > 0");
                if (count < 1 || count > MAX_AUTOCLAIM_COUNT) {
                    throw new ErrorReply("ERR COUNT must be > 0");
                }
            } else if (Bytes.eq(argv[j], "justid")) {
                justId = true;
            } else {
                throw ErrorReply.syntax();
            }
        }
        StreamGroups groups = new StreamGroups(ctx.txn());
        StreamMetadata m = groups.streams().metadata(argv[1]);
        Group g = m == null ? null : groups.group(argv[1], m, argv[2]);
        if (g == null) {
            throw noSuchKeyOrGroup(argv[1], argv[2]);
        }
        if (count >= UNALLOCATABLE_AUTOCLAIM_COUNT) {
            throw new ErrorReply("ERR Insufficient memory, failed allocating transient memory, COUNT too high.");
        }
        StreamGroups.AutoClaimed r = groups.autoClaim(argv[1], m, g, argv[3], minIdle, start, count, justId);
        Reply out = ctx.out();
        out.arrayHeader(3);
        StreamArgs.id(out, r.next());
        claimedReply(out, r.claimed(), justId);
        out.arrayHeader(r.deleted().size());
        for (StreamId id : r.deleted()) {
            StreamArgs.id(out, id);
        }
    }

    /** An integer argument with a command's own error text. */
    private static long integerOr(byte[] arg, String error) throws ErrorReply {
        if (!RedisNumbers.isLong(arg)) {
            throw new ErrorReply(error);
        }
        return RedisNumbers.parseLong(arg);
    }

    // ---- XGROUP ---------------------------------------------------------------------------------

    /** XGROUP CREATE's and SETID's options from argv[5] on: MKSTREAM (CREATE only) and ENTRIESREAD. */
    private record GroupOptions(boolean mkstream, long entriesRead) {
    }

    private static GroupOptions groupOptions(byte[][] argv, boolean create) throws ErrorReply {
        boolean mkstream = false;
        long entriesRead = StreamGroups.UNKNOWN;
        for (int i = 5; i < argv.length; ) {
            if (create && Bytes.eq(argv[i], "mkstream")) {
                mkstream = true;
                i++;
            } else if (Bytes.eq(argv[i], "entriesread") && i + 1 < argv.length) {
                entriesRead = StreamArgs.integer(argv[i + 1]);
                if (entriesRead < 0 && entriesRead != StreamGroups.UNKNOWN) {
                    throw new ErrorReply("ERR value for ENTRIESREAD must be positive or -1");
                }
                i += 2;
            } else {
                throw subcommandSyntax(argv);
            }
        }
        return new GroupOptions(mkstream, entriesRead);
    }

    private static ErrorReply subcommandSyntax(byte[][] argv) {
        return ErrorReply.subcommandSyntax(Bytes.str(argv[0]), Bytes.str(argv[1]));
    }

    /** The stream XGROUP works on; an error when it does not exist (unless MKSTREAM will create it). */
    private static StreamMetadata xgroupStream(StreamGroups groups, byte[][] argv, boolean mkstream)
            throws ErrorReply, StorageException {
        StreamMetadata m = groups.streams().metadata(argv[2]);
        if (m == null && !mkstream) {
            throw new ErrorReply(NO_KEY_FOR_XGROUP);
        }
        return m;
    }

    /** The group XGROUP SETID, CREATECONSUMER and DELCONSUMER work on; NOGROUP when missing. */
    private static Group xgroupGroup(StreamGroups groups, byte[][] argv, StreamMetadata m)
            throws ErrorReply, StorageException {
        Group g = groups.group(argv[2], m, argv[3]);
        if (g == null) {
            throw noSuchGroup(argv[3], argv[2]);
        }
        return g;
    }

    private static void xgroupCreate(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        GroupOptions o = groupOptions(argv, true);
        StreamGroups groups = new StreamGroups(ctx.txn());
        StreamMetadata m = xgroupStream(groups, argv, o.mkstream());
        if (argv.length > 8) {
            throw subcommandSyntax(argv);
        }
        StreamId id = Bytes.eq(argv[4], "$") ? null : StreamArgs.strictId(argv[4]);
        if (!groups.createGroup(argv[2], m, argv[3], id, o.entriesRead())) {
            throw new ErrorReply("BUSYGROUP Consumer Group name already exists");
        }
        ctx.notify(KeyspaceEventFlags.STREAM, "xgroup-create", argv[2]);
        ctx.out().ok();
    }

    private static void xgroupSetId(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        GroupOptions o = groupOptions(argv, false);
        StreamGroups groups = new StreamGroups(ctx.txn());
        StreamMetadata m = xgroupStream(groups, argv, false);
        Group g = xgroupGroup(groups, argv, m);
        if (argv.length != 5 && argv.length != 7) {
            throw subcommandSyntax(argv);
        }
        StreamId id = Bytes.eq(argv[4], "$") ? null : StreamArgs.id(argv[4], 0);
        groups.setGroupId(argv[2], m, g, id, o.entriesRead());
        ctx.notify(KeyspaceEventFlags.STREAM, "xgroup-setid", argv[2]);
        ctx.out().ok();
    }

    private static void xgroupDestroy(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        StreamGroups groups = new StreamGroups(ctx.txn());
        StreamMetadata m = xgroupStream(groups, argv, false);
        boolean destroyed = groups.destroyGroup(argv[2], m, argv[3]);
        if (destroyed) {
            ctx.notify(KeyspaceEventFlags.STREAM, "xgroup-destroy", argv[2]);
        }
        ctx.out().integer(destroyed ? 1 : 0);
    }

    private static void xgroupCreateConsumer(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        StreamGroups groups = new StreamGroups(ctx.txn());
        StreamMetadata m = xgroupStream(groups, argv, false);
        Group g = xgroupGroup(groups, argv, m);
        boolean created = groups.createConsumer(argv[2], m, g, argv[4]);
        if (created) {
            ctx.notify(KeyspaceEventFlags.STREAM, "xgroup-createconsumer", argv[2]);
        }
        ctx.out().integer(created ? 1 : 0);
    }

    private static void xgroupDelConsumer(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        StreamGroups groups = new StreamGroups(ctx.txn());
        StreamMetadata m = xgroupStream(groups, argv, false);
        Group g = xgroupGroup(groups, argv, m);
        long pending = groups.deleteConsumer(argv[2], m, g, argv[4]);
        // Redis says it whether or not the consumer existed.
        ctx.notify(KeyspaceEventFlags.STREAM, "xgroup-delconsumer", argv[2]);
        ctx.out().integer(pending);
    }
}
