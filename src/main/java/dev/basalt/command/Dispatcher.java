package dev.basalt.command;

import dev.basalt.protocol.ErrorReply;
import dev.basalt.protocol.RespWriter;
import dev.basalt.server.BlockingRegistry;
import dev.basalt.server.ClientSession;
import dev.basalt.server.KeyEvents;
import dev.basalt.server.Server;
import dev.basalt.server.ServerStats;
import dev.basalt.storage.KeyLocks;
import dev.basalt.storage.StorageException;
import dev.basalt.storage.Txn;
import dev.basalt.util.ByteKey;
import dev.basalt.util.Log;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs requests: resolves the command from the table, checks arity and auth, queues inside MULTI,
 * takes the key locks, runs the handler, commits its writes and only then lets the reply go out.
 */
public final class Dispatcher {
    private final Server server;
    private final CommandTable table;

    public Dispatcher(Server server, CommandTable table) {
        this.server = server;
        this.table = table;
    }

    public CommandTable table() {
        return table;
    }

    /** Handles one request; the reply (if any) is appended to out. */
    public void handle(ClientSession client, byte[][] argv, RespWriter out) {
        ServerStats stats = server.stats();
        stats.commandsProcessed.increment();
        CommandSpec spec;
        try {
            spec = table.resolve(argv);
        } catch (ErrorReply e) {
            client.flagMultiError();
            rejected(argv, stats);
            reply(client, out, w -> w.error(e.getMessage()));
            return;
        }
        client.setLastCommand(spec.fullName());
        if (!client.authenticated() && server.requiresAuth() && !spec.has(CommandFlag.NO_AUTH)) {
            refuse(client, spec, out, "NOAUTH Authentication required.");
            return;
        }
        if (spec.has(CommandFlag.ADMIN) && !client.admin()) {
            refuse(client, spec, out, "ERR admin permission required to perform the command");
            return;
        }
        if (client.inMulti() && !spec.has(CommandFlag.TRANSACTION_CONTROL)) {
            if (spec.has(CommandFlag.NO_MULTI)) {
                refuse(client, spec, out, "ERR Command not allowed inside a transaction");
                return;
            }
            client.queued().add(new ClientSession.Queued(spec, argv));
            reply(client, out, w -> w.simple("QUEUED"));
            return;
        }
        execute(client, spec, argv, out);
    }

    /** Answers a command that may not run now; inside MULTI this also dooms the transaction, as in Redis. */
    private void refuse(ClientSession client, CommandSpec spec, RespWriter out, String error) {
        client.flagMultiError();
        server.stats().command(spec.fullName()).rejected.increment();
        reply(client, out, w -> w.error(error));
    }

    /** Counts a refused call like Redis: on the subcommand for a container, nothing for unknown (sub)commands. */
    private void rejected(byte[][] argv, ServerStats stats) {
        CommandSpec known = table.get(CommandTable.lower(argv[0]));
        if (known != null && !known.subcommands().isEmpty() && argv.length >= 2) {
            known = known.subcommand(CommandTable.lower(argv[1]));
        }
        if (known != null) {
            stats.command(known.fullName()).rejected.increment();
        }
    }

    /** Runs one command outside MULTI: its own locks, its own Txn, reply held until commit. */
    private void execute(ClientSession client, CommandSpec spec, byte[][] argv, RespWriter out) {
        ClientSession.ReplyMode modeBefore = client.replyMode();
        ByteArrayOutputStream held = new ByteArrayOutputStream(64);
        RespWriter w = new RespWriter(held, client.protocol());
        long start = System.nanoTime();
        ServerStats.CommandCounters counters = server.stats().command(spec.fullName());
        long blockDeadline = 0;
        BlockingRegistry.Waiter waiter = null;
        boolean failed;
        try {
            while (true) {
                Attempt attempt = runOnce(client, spec, argv, w, held, waiter != null);
                failed = attempt.failed();
                BlockRequest block = attempt.block();
                if (block == null) {
                    break;
                }
                // Nothing to serve yet: park without locks until a key is written, then run again.
                if (waiter == null) {
                    blockDeadline = deadlineNanos(block.timeoutMillis());
                    List<ByteKey> scoped = new ArrayList<>();
                    for (byte[] k : block.keys()) {
                        scoped.add(KeyEvents.scoped(client.namespace(), k));
                    }
                    waiter = server.blocking().register(scoped);
                    // A write committed after the handler looked and before the registration signalled nobody:
                    // look once more, now that later writes will signal this waiter.
                    continue;
                }
                BlockingRegistry.Outcome outcome;
                client.setBlocked(true);
                try {
                    outcome = waiter.await(blockDeadline, client.hangupWatch());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    outcome = BlockingRegistry.Outcome.DISCONNECTED;
                } finally {
                    client.setBlocked(false);
                }
                if (outcome == BlockingRegistry.Outcome.DISCONNECTED || server.stopping()) {
                    return; // the client is gone: no reply, nothing consumed
                }
                if (outcome == BlockingRegistry.Outcome.TIMED_OUT) {
                    held.reset();
                    block.timeoutReply().accept(w);
                    failed = false;
                    break;
                }
            }
        } finally {
            if (waiter != null) {
                server.blocking().unregister(waiter);
                // Served (or gone): pass the turn to the next client waiting on these keys.
                server.blocking().signal(waiter.keys());
            }
        }
        counters.calls.increment();
        counters.micros.add((System.nanoTime() - start) / 1000);
        if (failed) {
            counters.failed.increment();
        }
        if (!suppressReply(client, modeBefore)) {
            out.raw(held.toByteArray());
        }
    }

    /** The System.nanoTime() deadline of a blocking timeout, 0 = none; timeouts of centuries count as none. */
    private static long deadlineNanos(long timeoutMillis) {
        if (timeoutMillis == 0 || timeoutMillis > Long.MAX_VALUE / 2_000_000L) {
            return 0;
        }
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        return deadline == 0 ? 1 : deadline;
    }

    /** How one run of a command ended: with a reply (failed or not), or asking to block. */
    private record Attempt(BlockRequest block, boolean failed) {
        static final Attempt OK = new Attempt(null, false);
        static final Attempt FAILED = new Attempt(null, true);
    }

    /** One attempt under locks, the reply written to w; woken once the command waits on its keys. */
    private Attempt runOnce(ClientSession client, CommandSpec spec, byte[][] argv, RespWriter w,
            ByteArrayOutputStream held, boolean woken) {
        held.reset();
        KeyLocks.Held locks = null;
        ExecContext ctx = new ExecContext(server, client, w, null, false, woken);
        try {
            locks = lockFor(List.of(new ClientSession.Queued(spec, argv)));
            spec.handler().execute(ctx, argv);
            Txn txn = ctx.txnIfStarted();
            if (txn != null && (txn.hasWrites() || txn.failure() != null)) {
                server.storage().commit(txn);
                server.afterCommit(client.namespace(), txn);
            }
            return Attempt.OK;
        } catch (BlockRequest e) {
            held.reset();
            return new Attempt(e, false);
        } catch (ErrorReply e) {
            held.reset();
            w.error(e.getMessage());
        } catch (StorageException e) {
            server.stats().writeFailures.increment();
            held.reset();
            w.error("ERR " + e.getMessage());
        } catch (RuntimeException e) {
            Log.error("command " + spec.fullName() + " failed", e);
            held.reset();
            w.error("ERR internal error: " + e);
        } finally {
            Txn txn = ctx.txnIfStarted();
            if (txn != null) {
                txn.close();
            }
            if (locks != null) {
                locks.close();
            }
        }
        return Attempt.FAILED;
    }

    /**
     * EXEC: runs the queued commands against one Txn, each behind a savepoint, with replies held in a
     * buffer; the buffer goes out only after RocksDB accepted the whole batch.
     */
    void exec(ExecContext ctx) throws ErrorReply {
        ClientSession client = ctx.client();
        RespWriter out = ctx.out();
        if (!client.inMulti()) {
            throw new ErrorReply("ERR EXEC without MULTI");
        }
        List<ClientSession.Queued> queued = new ArrayList<>(client.queued());
        boolean queueError = client.multiError();
        client.endMulti();
        try {
            if (queueError) {
                server.stats().txnAborted.increment();
                throw new ErrorReply("EXECABORT Transaction discarded because of previous errors.");
            }
            try (KeyLocks.Held locks = lockFor(queued)) {
                if (watchBroken(client)) {
                    server.stats().txnAborted.increment();
                    out.nullArray();
                    return;
                }
                runQueued(client, queued, out);
            }
        } finally {
            server.keyEvents().unwatchAll(client);
        }
    }

    private void runQueued(ClientSession client, List<ClientSession.Queued> queued, RespWriter out)
            throws ErrorReply {
        ByteArrayOutputStream replies = new ByteArrayOutputStream(256);
        RespWriter all = new RespWriter(replies, client.protocol());
        all.arrayHeader(queued.size());
        ByteArrayOutputStream one = new ByteArrayOutputStream(64);
        try (Txn txn = server.storage().begin(client.namespace())) {
            for (ClientSession.Queued q : queued) {
                one.reset();
                RespWriter w = new RespWriter(one, client.protocol());
                ExecContext ctx = new ExecContext(server, client, w, txn, true);
                ServerStats.CommandCounters counters = server.stats().command(q.spec().fullName());
                long start = System.nanoTime();
                client.setLastCommand(q.spec().fullName());
                txn.savepoint();
                try {
                    q.spec().handler().execute(ctx, q.argv());
                    txn.releaseSavepoint();
                } catch (BlockRequest e) {
                    // Blocking commands answer at once inside EXEC; one that asked to wait gets its timeout reply.
                    rollback(txn);
                    one.reset();
                    e.timeoutReply().accept(w);
                } catch (ErrorReply e) {
                    rollback(txn);
                    one.reset();
                    w.error(e.getMessage());
                    counters.failed.increment();
                } catch (StorageException e) {
                    rollback(txn);
                    one.reset();
                    w.error("ERR " + e.getMessage());
                    counters.failed.increment();
                } catch (RuntimeException e) {
                    Log.error("command " + q.spec().fullName() + " failed inside EXEC", e);
                    rollback(txn);
                    one.reset();
                    w.error("ERR internal error: " + e);
                    counters.failed.increment();
                }
                counters.calls.increment();
                counters.micros.add((System.nanoTime() - start) / 1000);
                all.raw(one.toByteArray());
                // Protocol changes by HELLO inside MULTI apply to the following replies, as in Redis.
                all.setProtocol(client.protocol());
            }
            try {
                server.storage().commit(txn);
            } catch (StorageException e) {
                server.stats().txnAborted.increment();
                server.stats().writeFailures.increment();
                throw new ErrorReply("ERR EXEC aborted, no command applied: " + e.getMessage());
            }
            server.stats().txnCommitted.increment();
            server.afterCommit(client.namespace(), txn);
            out.raw(replies.toByteArray());
        }
    }

    /** Undoes a failed queued command's own writes; a Txn that cannot roll back cannot commit either. */
    private static void rollback(Txn txn) {
        try {
            txn.rollbackToSavepoint();
        } catch (StorageException e) {
            // Txn.failure() is now set, so the commit below fails and EXEC answers its one error.
        }
    }

    /** True when a watched key was written since WATCH, or has expired since. */
    private boolean watchBroken(ClientSession client) {
        if (client.watchDirty()) {
            return true;
        }
        long now = System.currentTimeMillis();
        for (Map.Entry<ByteKey, Long> e : client.watched().entrySet()) {
            long expireAt = e.getValue();
            if (expireAt > 0 && expireAt < now) {
                return true;
            }
        }
        return false;
    }

    /** Locks every key the commands name, in one fixed order; keyspace commands lock everything. */
    private KeyLocks.Held lockFor(List<ClientSession.Queued> commands) throws ErrorReply {
        List<byte[]> keys = new ArrayList<>();
        for (ClientSession.Queued q : commands) {
            if (q.spec().has(CommandFlag.KEYSPACE)) {
                return server.storage().locks().lockAll();
            }
            keys.addAll(q.spec().keys(q.argv()));
        }
        if (keys.isEmpty()) {
            return null;
        }
        return server.storage().locks().lock(keys);
    }

    /**
     * CLIENT REPLY: OFF silences replies until CLIENT REPLY ON (whose +OK is sent); SKIP silences the
     * next command's reply. {@code before} is the mode when the command started.
     */
    private boolean suppressReply(ClientSession client, ClientSession.ReplyMode before) {
        ClientSession.ReplyMode after = client.replyMode();
        if (before == ClientSession.ReplyMode.SKIP) {
            if (after == ClientSession.ReplyMode.SKIP) {
                client.setReplyMode(ClientSession.ReplyMode.ON);
                return true;
            }
            // Only CLIENT REPLY ON turns SKIP into ON; its +OK is sent, as in Redis.
            return after != ClientSession.ReplyMode.ON;
        }
        return before == ClientSession.ReplyMode.OFF && after == ClientSession.ReplyMode.OFF;
    }

    private void reply(ClientSession client, RespWriter out, java.util.function.Consumer<RespWriter> r) {
        if (!suppressReply(client, client.replyMode())) {
            r.accept(out);
        }
    }
}
