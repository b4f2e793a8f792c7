package dev.basalt.command;

import static dev.basalt.command.CommandFlag.ADMIN;
import static dev.basalt.command.CommandFlag.NOSCRIPT;
import static dev.basalt.command.CommandSpec.command;

import dev.basalt.protocol.ErrorReply;
import dev.basalt.storage.KeyCodec;
import dev.basalt.util.Bytes;
import dev.basalt.util.Log;

/** Kvrocks's BGSAVE, LASTSAVE, FLUSHBACKUP and COMPACT: backups and compaction, run in the background. */
final class BackupCommands {
    private BackupCommands() {
    }

    static void register(CommandTable t, DbJobs jobs) {
        t.add(command("bgsave", -1).flags(ADMIN, NOSCRIPT).group("server")
                .summary("Backs the database up into backup-dir in the background (a RocksDB checkpoint).")
                .handler((ctx, argv) -> {
                    // Redis's SCHEDULE option: a backup already running answers an error either way, as in Kvrocks.
                    if (argv.length > 2 || (argv.length == 2 && !Bytes.eq(argv[1], "schedule"))) {
                        throw ErrorReply.syntax();
                    }
                    run(jobs.startBgsave());
                    Log.info("BGSave was triggered by manual with executed success");
                    ctx.out().ok();
                }));
        t.add(command("lastsave", 1).flags(ADMIN).group("server")
                .summary("Returns the Unix time of the last backup's start (the server's start before any).")
                .handler((ctx, argv) -> ctx.out().integer(jobs.status().lastBgsaveSecs())));
        t.add(command("flushbackup", 1).flags(ADMIN, NOSCRIPT).group("server")
                .summary("Deletes the backup in backup-dir in the background.")
                .handler((ctx, argv) -> {
                    jobs.purge(0, 0);
                    Log.info("flushbackup was triggered by manual with executed success");
                    ctx.out().ok();
                }));
        t.add(command("compact", 1).flags(NOSCRIPT).group("server")
                .summary("Compacts the client's namespace (every namespace for the default one) in the background.")
                .handler((ctx, argv) -> {
                    byte[] begin = null;
                    byte[] end = null;
                    String ns = ctx.client().namespace();
                    if (!ns.equals(KeyCodec.DEFAULT_NAMESPACE)) {
                        begin = new KeyCodec(ns).metadataPrefix();
                        end = Bytes.prefixEnd(begin);
                    }
                    run(jobs.startCompact(begin, end));
                    Log.info("Compact was triggered by manual with executed success");
                    ctx.out().ok();
                }));
    }

    private static void run(String error) throws ErrorReply {
        if (error != null) {
            throw new ErrorReply("ERR " + error);
        }
    }
}
