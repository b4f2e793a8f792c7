package dev.basalt.command;

import static dev.basalt.command.Arguments.integer;
import static dev.basalt.command.CommandFlag.FAST;
import static dev.basalt.command.CommandFlag.KEYSPACE;
import static dev.basalt.command.CommandFlag.LOADING;
import static dev.basalt.command.CommandFlag.READONLY;
import static dev.basalt.command.CommandFlag.STALE;
import static dev.basalt.command.CommandFlag.WRITE;
import static dev.basalt.command.CommandSpec.command;

import dev.basalt.command.ScanCursors;
import dev.basalt.config.KeyspaceEventFlags;
import dev.basalt.protocol.ErrorReply;
import dev.basalt.storage.Storage;
import dev.basalt.storage.StorageException;
import dev.basalt.storage.Txn;
import dev.basalt.types.KeyCopy;
import dev.basalt.types.KeyScan;
import dev.basalt.types.Keyspace;
import dev.basalt.types.ObjectInfo;
import dev.basalt.types.ScanPage;
import dev.basalt.util.Bytes;
import java.util.Arrays;
import java.util.List;

/**
 * Generic key commands: DEL, EXISTS, TYPE, expiry (EXPIRE... PERSIST, TTL...), RENAME, COPY, TOUCH,
 * KEYS, SCAN, RANDOMKEY, DBSIZE, FLUSHDB, FLUSHALL, OBJECT.
 */
final class KeyCommands {
    private KeyCommands() {
    }

    private static final String ADMIN_REQUIRED = "ERR admin permission required to perform the command";

    static void register(CommandTable t, Storage storage, ScanCursors cursors, KeyEvents keyEvents) {
        t.add(command("del", -2).event(KeyspaceEventFlags.GENERIC, "del").flags(WRITE).keys(1, -1, 1).group("generic")
                .summary("Deletes one or more keys.").handler(KeyCommands::del));
        t.add(command("unlink", -2).event(KeyspaceEventFlags.GENERIC, "del").flags(WRITE, FAST).keys(1, -1, 1).group("generic").since("4.0.0")
                .summary("Asynchronously deletes one or more keys.").handler(KeyCommands::del));
        t.add(command("exists", -2).flags(READONLY, FAST).keys(1, -1, 1).group("generic")
                .summary("Determines whether one or more keys exist.").handler(KeyCommands::countExisting));
        t.add(command("touch", -2).flags(READONLY, FAST).keys(1, -1, 1).group("generic").since("3.2.1")
                .summary("Returns the number of existing keys out of those specified after updating the time they were last accessed.")
                .handler(KeyCommands::countExisting));
        t.add(command("type", 2).flags(READONLY, FAST).keys(1, 1, 1).group("generic")
                .summary("Determines the type of value stored at a key.").handler((ctx, argv) ->
                        ctx.out().simple(keyspace(ctx).typeName(argv[1]))));

        t.add(command("expire", -3).flags(WRITE, FAST).keys(1, 1, 1).group("generic")
                .summary("Sets the expiration time of a key in seconds.")
                .handler((ctx, argv) -> expire(ctx, argv, "expire", true, false)));
        t.add(command("pexpire", -3).flags(WRITE, FAST).keys(1, 1, 1).group("generic").since("2.6.0")
                .summary("Sets the expiration time of a key in milliseconds.")
                .handler((ctx, argv) -> expire(ctx, argv, "pexpire", false, false)));
        t.add(command("expireat", -3).flags(WRITE, FAST).keys(1, 1, 1).group("generic").since("1.2.0")
                .summary("Sets the expiration time of a key to a Unix timestamp.")
                .handler((ctx, argv) -> expire(ctx, argv, "expireat", true, true)));
        t.add(command("pexpireat", -3).flags(WRITE, FAST).keys(1, 1, 1).group("generic").since("2.6.0")
                .summary("Sets the expiration time of a key to a Unix milliseconds timestamp.")
                .handler((ctx, argv) -> expire(ctx, argv, "pexpireat", false, true)));
        t.add(command("ttl", 2).flags(READONLY, FAST).keys(1, 1, 1).group("generic")
                .summary("Returns the expiration time in seconds of a key.")
                .handler((ctx, argv) -> ctx.out().integer(seconds(keyspace(ctx).ttlMs(argv[1])))));
        t.add(command("pttl", 2).flags(READONLY, FAST).keys(1, 1, 1).group("generic").since("2.6.0")
                .summary("Returns the expiration time in milliseconds of a key.")
                .handler((ctx, argv) -> ctx.out().integer(keyspace(ctx).ttlMs(argv[1]))));
        t.add(command("expiretime", 2).flags(READONLY, FAST).keys(1, 1, 1).group("generic").since("7.0.0")
                .summary("Returns the expiration time of a key as a Unix timestamp.")
                .handler((ctx, argv) -> ctx.out().integer(seconds(keyspace(ctx).expireTimeMs(argv[1])))));
        t.add(command("pexpiretime", 2).flags(READONLY, FAST).keys(1, 1, 1).group("generic").since("7.0.0")
                .summary("Returns the expiration time of a key as a Unix milliseconds timestamp.")
                .handler((ctx, argv) -> ctx.out().integer(keyspace(ctx).expireTimeMs(argv[1]))));
        t.add(command("persist", 2).event(KeyspaceEventFlags.GENERIC, "persist").flags(WRITE, FAST).keys(1, 1, 1).group("generic").since("2.2.0")
                .summary("Removes the expiration time of a key.")
                .handler((ctx, argv) -> ctx.out().integer(keyspace(ctx).persist(argv[1]) ? 1 : 0)));

        t.add(command("rename", 3).flags(WRITE).keys(1, 2, 1).group("generic")
                .summary("Renames a key and overwrites the destination.")
                .handler((ctx, argv) -> rename(ctx, argv, false)));
        t.add(command("renamenx", 3).flags(WRITE, FAST).keys(1, 2, 1).group("generic")
                .summary("Renames a key only when the target key name doesn't exist.")
                .handler((ctx, argv) -> rename(ctx, argv, true)));
        t.add(command("copy", -3).flags(WRITE).keys(1, 2, 1).group("generic").since("6.2.0")
                .summary("Copies the value of a key to a new key.").handler(KeyCommands::copy));

        t.add(command("keys", 2).flags(READONLY, KEYSPACE).group("generic")
                .summary("Returns all key names that match a pattern.").handler((ctx, argv) ->
                        ctx.out().bulkArray(new KeyScan(ctx.txn()).keys(argv[1]))));
        t.add(command("scan", -2).flags(READONLY, KEYSPACE).group("generic").since("2.8.0")
                .summary("Iterates over the key names in the database.").handler((ctx, argv) -> scan(ctx, argv, cursors)));
        t.add(command("randomkey", 1).flags(READONLY, KEYSPACE).group("generic")
                .summary("Returns a random key name from the database.").handler((ctx, argv) -> {
                    byte[] k = new KeyScan(ctx.txn()).randomKey();
                    if (k == null) {
                        ctx.out().nullBulk();
                    } else {
                        ctx.out().bulk(k);
                    }
                }));
        t.add(command("flushdb", -1).flags(WRITE, KEYSPACE).group("server")
                .summary("Removes all keys from the current database.").handler((ctx, argv) -> flushdb(ctx, argv, keyEvents)));
        t.add(command("flushall", -1).flags(WRITE, KEYSPACE).group("server")
                .summary("Removes all keys from all databases.").handler((ctx, argv) -> flushall(ctx, argv, keyEvents)));

        t.add(command("object", -2).group("generic").since("2.2.3")
                .summary("A container for object introspection commands.")
                .subcommand(command("encoding", 3).flags(READONLY).keys(2, 2, 1).since("2.2.3")
                        .summary("Returns the internal encoding of a Redis object.").handler((ctx, argv) -> {
                            String enc = new ObjectInfo(ctx.txn()).objectEncoding(argv[2]);
                            if (enc == null) {
                                ctx.out().nullBulk();
                            } else {
                                ctx.out().bulk(enc);
                            }
                        }))
                .subcommand(command("refcount", 3).flags(READONLY).keys(2, 2, 1).since("2.2.3")
                        .summary("Returns the reference count of a value of a key.").handler((ctx, argv) -> {
                            Long refs = new ObjectInfo(ctx.txn()).objectRefcount(argv[2]);
                            if (refs == null) {
                                ctx.out().nullBulk();
                            } else {
                                ctx.out().integer(refs);
                            }
                        }))
                .subcommand(command("idletime", 3).flags(READONLY).keys(2, 2, 1).since("2.2.3")
                        .summary("Returns the time since the last access to a Redis object.").handler((ctx, argv) -> {
                            // Access times are not tracked: every key counts as just used.
                            if (keyspace(ctx).exists(argv[2])) {
                                ctx.out().integer(0);
                            } else {
                                ctx.out().nullBulk();
                            }
                        }))
                .subcommand(command("freq", 3).flags(READONLY).keys(2, 2, 1).since("4.0.0")
                        .summary("Returns the logarithmic access frequency counter of a Redis object.")
                        .handler((ctx, argv) -> {
                            if (!keyspace(ctx).exists(argv[2])) {
                                ctx.out().nullBulk();
                                return;
                            }
                            // Like Redis without an LFU maxmemory-policy (Basalt has no eviction).
                            throw new ErrorReply("ERR An LFU maxmemory policy is not selected, access "
                                    + "frequency not tracked. Please note that when switching between policies at "
                                    + "runtime LRU and LFU data will take some time to adjust.");
                        }))
                .subcommand(command("help", 2).flags(LOADING, STALE).since("6.2.0")
                        .summary("Returns helpful text about the different subcommands.")
                        .handler(KeyCommands::objectHelp)));
    }

    private static Keyspace keyspace(ExecContext ctx) {
        return new Keyspace(ctx.txn());
    }

    private static void del(ExecContext ctx, byte[][] argv) throws StorageException {
        ctx.out().integer(keyspace(ctx).deleteKeys(Arrays.asList(argv).subList(1, argv.length)));
    }

    /** EXISTS and TOUCH: a key named twice counts twice. */
    private static void countExisting(ExecContext ctx, byte[][] argv) throws StorageException {
        Keyspace ks = keyspace(ctx);
        long n = 0;
        for (int i = 1; i < argv.length; i++) {
            if (ks.exists(argv[i])) {
                n++;
            }
        }
        ctx.out().integer(n);
    }

    /** Redis's rounding of a millisecond TTL or timestamp to seconds; -1 and -2 pass through. */
    private static long seconds(long ms) {
        return ms < 0 ? ms : (ms + 500) / 1000;
    }

    /**
     * EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT: options are checked before the time, overflow of the unit
     * conversion or of adding the base time is Redis's "invalid expire time" error.
     */
    private static void expire(ExecContext ctx, byte[][] argv, String name, boolean inSeconds, boolean absolute)
            throws ErrorReply, StorageException {
        int conditions = 0;
        for (int i = 3; i < argv.length; i++) {
            byte[] opt = argv[i];
            if (Bytes.eq(opt, "nx")) {
                conditions |= Keyspace.EXPIRE_NX;
            } else if (Bytes.eq(opt, "xx")) {
                conditions |= Keyspace.EXPIRE_XX;
            } else if (Bytes.eq(opt, "gt")) {
                conditions |= Keyspace.EXPIRE_GT;
            } else if (Bytes.eq(opt, "lt")) {
                conditions |= Keyspace.EXPIRE_LT;
            } else {
                throw new ErrorReply("ERR Unsupported option " + Bytes.str(opt));
            }
        }
        if ((conditions & Keyspace.EXPIRE_NX) != 0
                && (conditions & (Keyspace.EXPIRE_XX | Keyspace.EXPIRE_GT | Keyspace.EXPIRE_LT)) != 0) {
            throw new ErrorReply("ERR NX and XX, GT or LT options at the same time are not compatible");
        }
        if ((conditions & Keyspace.EXPIRE_GT) != 0 && (conditions & Keyspace.EXPIRE_LT) != 0) {
            throw new ErrorReply("ERR GT and LT options at the same time are not compatible");
        }
        long when = integer(argv[2]);
        ErrorReply invalid = new ErrorReply("ERR invalid expire time in '" + name + "' command");
        if (inSeconds) {
            if (when > Long.MAX_VALUE / 1000 || when < Long.MIN_VALUE / 1000) {
                throw invalid;
            }
            when *= 1000;
        }
        Keyspace ks = keyspace(ctx);
        long base = absolute ? 0 : ks.nowMs();
        if (when > Long.MAX_VALUE - base) {
            throw invalid;
        }
        boolean set = ks.expire(argv[1], when + base, conditions);
        if (set) {
            // A time already past deletes the key, which says "del" instead, as in Redis.
            ctx.notify(KeyspaceEventFlags.GENERIC, when + base <= ks.nowMs() ? "del" : "expire", argv[1]);
        }
        ctx.out().integer(set ? 1 : 0);
    }

    private static void rename(ExecContext ctx, byte[][] argv, boolean nx) throws ErrorReply, StorageException {
        switch (new KeyCopy(ctx.txn()).rename(argv[1], argv[2], nx)) {
            case NO_SUCH_KEY -> throw new ErrorReply("ERR no such key");
            case TARGET_EXISTS -> ctx.out().integer(0);
            case RENAMED -> {
                ctx.notify(KeyspaceEventFlags.GENERIC, "rename_from", argv[1]);
                ctx.notify(KeyspaceEventFlags.GENERIC, "rename_to", argv[2]);
                if (nx) {
                    ctx.out().integer(1);
                } else {
                    ctx.out().ok();
                }
            }
            default -> throw new IllegalStateException();
        }
    }

    /** COPY source destination [DB index] [REPLACE]: one database per namespace, so only DB 0. */
    private static void copy(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        boolean replace = false;
        for (int i = 3; i < argv.length; i++) {
            if (Bytes.eq(argv[i], "replace")) {
                replace = true;
            } else if (Bytes.eq(argv[i], "db") && i + 1 < argv.length) {
                long db = integer(argv[++i]);
                if (db < Integer.MIN_VALUE || db > Integer.MAX_VALUE) {
                    throw ErrorReply.notInteger();
                }
                if (db != 0) {
                    throw new ErrorReply("ERR DB index is out of range");
                }
            } else {
                throw ErrorReply.syntax();
            }
        }
        if (Arrays.equals(argv[1], argv[2])) {
            throw new ErrorReply("ERR source and destination objects are the same");
        }
        boolean copied = new KeyCopy(ctx.txn()).copy(argv[1], argv[2], replace);
        if (copied) {
            ctx.notify(KeyspaceEventFlags.GENERIC, "copy_to", argv[2]);
        }
        ctx.out().integer(copied ? 1 : 0);
    }

    /**
     * SCAN cursor [MATCH pattern] [COUNT n] [TYPE type]. A reply cursor stands for the last key examined,
     * kept in the server's cursor table (see ScanCursors); a cursor the table does not hold answers an
     * error rather than starting over, except on an empty database, where Redis answers any cursor with
     * the complete, empty scan (and nothing can be missed).
     */
    private static void scan(ExecContext ctx, byte[][] argv, ScanCursors cursors) throws ErrorReply, StorageException {
        long cursor = ScanCursors.parse(argv[1]);
        ScanArgs options = ScanArgs.parse(argv, 2, true);
        KeyScan keys = new KeyScan(ctx.txn());
        byte[] after;
        try {
            after = cursors.position(ctx.client(), cursor);
        } catch (ErrorReply unknown) {
            ScanPage<byte[]> first = keys.scan(null, 1, null, null);
            if (first.elements().isEmpty() && first.resumeAfter() == null) {
                ScanArgs.writeEmpty(ctx.out());
                return;
            }
            throw unknown;
        }
        ScanPage<byte[]> page = keys.scan(after, options.count(), options.pattern(), options.type());
        ScanArgs.writeCursor(ctx, cursors, page.resumeAfter());
        ctx.out().bulkArray(page.elements());
    }


    /** FLUSHDB and FLUSHALL accept ASYNC or SYNC (the wipe is a range delete either way). */
    private static void checkFlushArgs(byte[][] argv) throws ErrorReply {
        if (argv.length > 2 || argv.length == 2 && !Bytes.eq(argv[1], "async") && !Bytes.eq(argv[1], "sync")) {
            throw ErrorReply.syntax();
        }
    }

    /** FLUSHDB: empties the client's namespace (Kvrocks has one database per namespace). */
    private static void flushdb(ExecContext ctx, byte[][] argv, KeyEvents keyEvents) throws ErrorReply, StorageException {
        checkFlushArgs(argv);
        keyspace(ctx).wipe(keyEvents.watchedKeys(ctx.client().namespace()));
        ctx.out().ok();
    }

    /**
     * FLUSHALL: empties every namespace, as Kvrocks does, so only an admin client may run it (not flagged
     * ADMIN, which would show in COMMAND INFO where Redis has none). Every namespace goes in this
     * command's one Txn, so nothing is wiped unless the whole commit (or EXEC) succeeds.
     */
    private static void flushall(ExecContext ctx, byte[][] argv, KeyEvents keyEvents) throws ErrorReply, StorageException {
        checkFlushArgs(argv);
        if (!ctx.client().admin()) {
            throw new ErrorReply(ADMIN_REQUIRED);
        }
        keyspace(ctx).wipeEveryNamespace(keyEvents.watchedMetadataKeys());
        ctx.out().ok();
    }

    private static final List<String> OBJECT_HELP = List.of(
            "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "ENCODING <key>",
            "    Return the kind of internal representation used in order to store the value",
            "    associated with a <key>.",
            "FREQ <key>",
            "    Return the access frequency index of the <key>. The returned integer is",
            "    proportional to the logarithm of the recent access frequency of the key.",
            "IDLETIME <key>",
            "    Return the idle time of the <key>, that is the approximated number of",
            "    seconds elapsed since the last access to the key.",
            "REFCOUNT <key>",
            "    Return the number of references of the value associated with the specified",
            "    <key>.",
            "HELP",
            "    Prints this help.");

    private static void objectHelp(ExecContext ctx, byte[][] argv) {
        ctx.out().arrayHeader(OBJECT_HELP.size());
        for (String line : OBJECT_HELP) {
            ctx.out().simple(line);
        }
    }
}
