package dev.basalt.command;

import static dev.basalt.command.Arguments.integer;
import static dev.basalt.command.CommandFlag.ADMIN;
import static dev.basalt.command.CommandFlag.NO_MULTI;
import static dev.basalt.command.CommandFlag.READONLY;
import static dev.basalt.command.CommandFlag.WRITE;
import static dev.basalt.command.CommandSpec.command;

import dev.basalt.config.Config;
import dev.basalt.config.KeyspaceEventFlags;
import dev.basalt.protocol.ErrorReply;
import dev.basalt.rdb.DumpPayload;
import dev.basalt.rdb.RdbFormatException;
import dev.basalt.rdb.RdbImport;
import dev.basalt.rdb.RdbKeys;
import dev.basalt.rdb.RdbValue;
import dev.basalt.storage.Storage;
import dev.basalt.storage.StorageException;
import dev.basalt.types.Keyspace;
import dev.basalt.util.Bytes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

/**
 * Moving data in and out in Redis's serialization format: DUMP and RESTORE (payloads Redis 7.0 writes
 * and reads), and Kvrocks's RDB LOAD, importing a redis-server dump.rdb.
 */
final class DumpCommands {
    private DumpCommands() {
    }

    static final String BUSYKEY = "BUSYKEY Target key name already exists.";
    static final String BAD_PAYLOAD = "ERR DUMP payload version or checksum are wrong";
    static final String BAD_FORMAT = "ERR Bad data format";

    static void register(CommandTable t, Config config, Storage storage, KeyEvents keyEvents) {
        t.add(command("dump", 2).flags(READONLY).keys(1, 1, 1).group("generic").since("2.6.0")
                .summary("Returns a serialized representation of the value stored at a key.")
                .handler((ctx, argv) -> dump(ctx, argv, config)));
        t.add(command("restore", -4).event(KeyspaceEventFlags.GENERIC, "restore").flags(WRITE).keys(1, 1, 1).group("generic").since("2.6.0")
                .summary("Creates a key from the serialized representation of a value.")
                .handler(DumpCommands::restore));
        t.add(command("rdb", -3).group("server").since("2.7.0")
                .summary("A container for RDB file commands (Kvrocks).")
                .subcommand(command("load", -3).flags(WRITE, ADMIN, NO_MULTI).since("2.7.0")
                        .summary("Imports the keys of a redis-server RDB file (Kvrocks).")
                        .handler((ctx, argv) -> load(ctx, argv, storage, keyEvents))));
    }

    private static void dump(ExecContext ctx, byte[][] argv, Config config) throws ErrorReply, StorageException {
        RdbValue v = new RdbKeys(ctx.txn()).read(argv[1], config.getLong("max-bitmap-to-string-mb") << 20);
        if (v == null) {
            ctx.out().nullBulk();
        } else {
            ctx.out().bulk(DumpPayload.encode(v));
        }
    }

    /**
     * RESTORE key ttl payload [REPLACE] [ABSTTL] [IDLETIME s] [FREQ f], with Redis 7.0's checks in its
     * order. IDLETIME and FREQ are checked and have no effect: Basalt keeps no access times or counters
     * (OBJECT IDLETIME answers 0 for every key).
     */
    private static void restore(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        boolean replace = false;
        boolean absTtl = false;
        long idle = -1;
        long freq = -1;
        for (int j = 4; j < argv.length; j++) {
            boolean more = j + 1 < argv.length;
            if (Bytes.eq(argv[j], "replace")) {
                replace = true;
            } else if (Bytes.eq(argv[j], "absttl")) {
                absTtl = true;
            } else if (Bytes.eq(argv[j], "idletime") && more && freq == -1) {
                idle = integer(argv[++j]);
                if (idle < 0) {
                    throw new ErrorReply("ERR Invalid IDLETIME value, must be >= 0");
                }
            } else if (Bytes.eq(argv[j], "freq") && more && idle == -1) {
                freq = integer(argv[++j]);
                if (freq < 0 || freq > 255) {
                    throw new ErrorReply("ERR Invalid FREQ value, must be >= 0 and <= 255");
                }
            } else {
                throw ErrorReply.syntax();
            }
        }
        byte[] key = argv[1];
        Keyspace keyspace = new Keyspace(ctx.txn());
        if (!replace && keyspace.exists(key)) {
            throw new ErrorReply(BUSYKEY);
        }
        long ttl = integer(argv[2]);
        if (ttl < 0) {
            throw new ErrorReply("ERR Invalid TTL value, must be >= 0");
        }
        byte[] payload = argv[3];
        if (!DumpPayload.verify(payload)) {
            throw new ErrorReply(BAD_PAYLOAD);
        }
        RdbValue value;
        try {
            value = DumpPayload.decode(payload);
        } catch (RdbFormatException e) {
            throw new ErrorReply(BAD_FORMAT);
        }
        if (value instanceof RdbValue.ModuleValue) {
            throw new ErrorReply(BAD_FORMAT); // as Redis without the module answers
        }
        long now = keyspace.nowMs();
        long expireAt = ttl;
        if (ttl != 0 && !absTtl) {
            // Redis adds without an overflow check; a wrapped time is in the past, as here.
            expireAt = ttl + now;
        }
        if (ttl != 0 && expireAt <= now) {
            if (replace) {
                keyspace.deleteKeys(List.of(key));
            }
            ctx.out().ok();
            return;
        }
        try {
            new RdbKeys(ctx.txn()).write(key, value, expireAt);
        } catch (RdbFormatException e) {
            throw new ErrorReply("ERR " + e.getMessage());
        }
        ctx.out().ok();
    }

    /** RDB LOAD path [NX] [DB index]: Kvrocks's import of a redis-server RDB file into this namespace. */
    private static void load(ExecContext ctx, byte[][] argv, Storage storage, KeyEvents keyEvents)
            throws ErrorReply, StorageException {
        Path path;
        try {
            path = Path.of(Bytes.str(argv[2]));
        } catch (InvalidPathException e) {
            throw new ErrorReply("ERR failed to open rdb file: '" + Bytes.str(argv[2]) + "': Invalid argument");
        }
        boolean onlyNew = false;
        long db = 0;
        for (int i = 3; i < argv.length; i++) {
            if (Bytes.eq(argv[i], "nx")) {
                onlyNew = true;
            } else if (Bytes.eq(argv[i], "db") && i + 1 < argv.length) {
                db = integer(argv[++i]);
                if (db < 0 || db > 0xffffffffL) {
                    throw ErrorReply.notInteger();
                }
            } else {
                throw ErrorReply.syntax();
            }
        }
        String cannotOpen = !Files.exists(path) ? "No such file or directory"
                : Files.isDirectory(path) ? "Is a directory"
                : !Files.isReadable(path) ? "Permission denied" : null;
        if (cannotOpen != null) {
            // Kvrocks's text, with strerror's words
            throw new ErrorReply("ERR failed to open rdb file: '" + path + "': " + cannotOpen);
        }
        RdbImport importer = new RdbImport(storage, ctx.client().namespace(), keyEvents::modified,
                ctx::committedApart);
        try {
            importer.load(path, db, onlyNew);
        } catch (IOException e) {
            throw new ErrorReply("ERR reading " + path + " failed after " + importer.loadedSoFar() + " keys: "
                    + e.getMessage());
        } catch (RdbFormatException e) {
            throw new ErrorReply("ERR " + e.getMessage() + " (" + importer.loadedSoFar() + " keys loaded before)");
        }
        ctx.out().ok();
    }
}
