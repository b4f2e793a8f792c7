package dev.basalt.command;

import static dev.basalt.command.CommandFlag.FAST;
import static dev.basalt.command.CommandFlag.LOADING;
import static dev.basalt.command.CommandFlag.NOSCRIPT;
import static dev.basalt.command.CommandFlag.STALE;
import static dev.basalt.command.CommandFlag.TRANSACTION_CONTROL;
import static dev.basalt.command.CommandSpec.command;

import dev.basalt.command.ClientSession;
import dev.basalt.protocol.ErrorReply;
import dev.basalt.types.Keyspace;
import dev.basalt.util.ByteKey;

/** MULTI, EXEC, DISCARD, WATCH, UNWATCH. */
final class TransactionCommands {
    private TransactionCommands() {
    }

    static void register(CommandTable t, KeyEvents keyEvents) {
        t.add(command("multi", 1).flags(NOSCRIPT, LOADING, STALE, FAST, TRANSACTION_CONTROL).group("transactions")
                .summary("Starts a transaction.").handler(TransactionCommands::multi));
        t.add(command("exec", 1).flags(NOSCRIPT, LOADING, STALE, TRANSACTION_CONTROL).group("transactions")
                .summary("Executes all commands in a transaction.").transactionExec());
        t.add(command("discard", 1).flags(NOSCRIPT, LOADING, STALE, FAST, TRANSACTION_CONTROL).group("transactions")
                .summary("Discards a transaction.").handler((ctx, argv) -> discard(ctx, keyEvents)));
        t.add(command("watch", -2).flags(NOSCRIPT, LOADING, STALE, FAST, TRANSACTION_CONTROL).keys(1, -1, 1)
                .group("transactions").since("2.2.0")
                .summary("Monitors changes to keys to determine the execution of a transaction.")
                .handler((ctx, argv) -> watch(ctx, argv, keyEvents)));
        t.add(command("unwatch", 1).flags(NOSCRIPT, LOADING, STALE, FAST).group("transactions").since("2.2.0")
                .summary("Forgets about watched keys of a transaction.").handler((ctx, argv) -> {
                    keyEvents.unwatchAll(ctx.client());
                    ctx.out().ok();
                }));
    }

    private static void multi(ExecContext ctx, byte[][] argv) throws ErrorReply {
        if (ctx.client().inMulti()) {
            throw new ErrorReply("ERR MULTI calls can not be nested");
        }
        ctx.client().startMulti();
        ctx.out().ok();
    }

    private static void discard(ExecContext ctx, KeyEvents keyEvents) throws ErrorReply {
        ClientSession c = ctx.client();
        if (!c.inMulti()) {
            throw new ErrorReply("ERR DISCARD without MULTI");
        }
        c.endMulti();
        keyEvents.unwatchAll(c);
        ctx.out().ok();
    }

    private static void watch(ExecContext ctx, byte[][] argv, KeyEvents keyEvents) throws ErrorReply, dev.basalt.storage.StorageException {
        ClientSession c = ctx.client();
        if (c.inMulti()) {
            throw new ErrorReply("ERR WATCH inside MULTI is not allowed");
        }
        Keyspace keys = new Keyspace(ctx.txn());
        for (int i = 1; i < argv.length; i++) {
            ByteKey k = new ByteKey(argv[i]);
            if (!c.watched().containsKey(k) && c.watch(k, keys.expireAtMs(argv[i]))) {
                keyEvents.watch(c, argv[i]);
            }
        }
        ctx.out().ok();
    }
}
