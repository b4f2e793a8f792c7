package dev.basalt.execution;

import dev.basalt.command.BlockRequest;
import dev.basalt.command.ClientSession;
import dev.basalt.command.CommandFlag;
import dev.basalt.command.CommandSpec;
import dev.basalt.command.CommandTable;
import dev.basalt.command.ServerStats;
import dev.basalt.command.Services;
import dev.basalt.protocol.ErrorReply;
import dev.basalt.protocol.RespWriter;
import dev.basalt.storage.KeyCodec;
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
    private final CommandTable table;
    private final Services services;
    private final BlockingRegistry blocking = new BlockingRegistry();

    public Dispatcher(CommandTable table, Services services) {
        this.table = table;
        this.services = services;
    }

    /** Clients parked in blocking commands right now (INFO's blocked_clients counts flags instead). */
    public BlockingRegistry blocking() {
        return blocking;
    }

    public CommandTable table() {
        return table;
    }

    /** The client's connection ended: it stops watching keys. */
    public void clientGone(ClientSession client) {
        services.keyEvents().unwatchAll(client);
    }

    /** Handles one request; the reply (if any) is appended to out. */
    public void handle(ClientSession client, byte[][] argv, RespWriter out) {
        ServerStats stats = services.stats();
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
        if (!client.authenticated() && services.config().requiresAuth() && !spec.has(CommandFlag.NO_AUTH)) {
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
        services.stats().command(spec.fullName()).rejected.increment();
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
        ServerStats.CommandCounters counters = services.stats().command(spec.fullName());
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
                    KeyCodec codec = new KeyCodec(client.namespace());
                    List<ByteKey> scoped = new ArrayList<>();
                    for (byte[] k : block.keys()) {
                        scoped.add(new ByteKey(codec.metadataKey(k)));
                    }
                    waiter = blocking.register(scoped);
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
                if (outcome == BlockingRegistry.Outcome.DISCONNECTED) {
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
                blocking.unregister(waiter);
                // Served (or gone): pass the turn to the next client waiting on these keys.
                blocking.signal(waiter.keys());
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
        Call ctx = new Call(services.storage(), client, w, null, false, woken);
        try {
            if (spec.isTransactionExec()) {
                exec(client, w);
                return Attempt.OK;
            }
            locks = lockFor(List.of(new ClientSession.Queued(spec, argv)));
            spec.handler().execute(ctx, argv);
            Txn txn = ctx.txnIfStarted();
            if (txn != null && (txn.hasWrites() || txn.failure() != null)) {
                services.storage().commit(txn);
                afterCommit(txn);
            }
            return Attempt.OK;
        } catch (BlockRequest e) {
            held.reset();
            return new Attempt(e, false);
        } catch (ErrorReply e) {
            held.reset();
            w.error(e.getMessage());
        } catch (StorageException e) {
            services.stats().writeFailures.increment();
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
    private void exec(ClientSession client, RespWriter out) throws ErrorReply {
        if (!client.inMulti()) {
            throw new ErrorReply("ERR EXEC without MULTI");
        }
        List<ClientSession.Queued> queued = new ArrayList<>(client.queued());
        boolean queueError = client.multiError();
        client.endMulti();
        try {
            if (queueError) {
                services.stats().txnAborted.increment();
                throw new ErrorReply("EXECABORT Transaction discarded because of previous errors.");
            }
            try (KeyLocks.Held locks = lockFor(queued)) {
                if (watchBroken(client)) {
                    services.stats().txnAborted.increment();
                    out.nullArray();
                    return;
                }
                runQueued(client, queued, out);
            }
        } finally {
            services.keyEvents().unwatchAll(client);
        }
    }

    private void runQueued(ClientSession client, List<ClientSession.Queued> queued, RespWriter out)
            throws ErrorReply {
        ByteArrayOutputStream replies = new ByteArrayOutputStream(256);
        RespWriter all = new RespWriter(replies, client.protocol());
        all.arrayHeader(queued.size());
        ByteArrayOutputStream one = new ByteArrayOutputStream(64);
        try (Txn txn = services.storage().begin(client.namespace())) {
            for (ClientSession.Queued q : queued) {
                one.reset();
                RespWriter w = new RespWriter(one, client.protocol());
                Call ctx = new Call(services.storage(), client, w, txn, true, false);
                ServerStats.CommandCounters counters = services.stats().command(q.spec().fullName());
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
                services.storage().commit(txn);
            } catch (StorageException e) {
                services.stats().txnAborted.increment();
                services.stats().writeFailures.increment();
                throw new ErrorReply("ERR EXEC aborted, no command applied: " + e.getMessage());
            }
            services.stats().txnCommitted.increment();
            afterCommit(txn);
            out.raw(replies.toByteArray());
        }
    }

    /** After a commit: marks WATCHers of the keys it wrote and wakes clients blocked on them. */
    private void afterCommit(Txn txn) {
        List<byte[]> touched = txn.touchedKeys();
        if (touched.isEmpty()) {
            return;
        }
        services.keyEvents().modified(touched);
        List<ByteKey> keys = new ArrayList<>(touched.size());
        for (byte[] k : touched) {
            keys.add(new ByteKey(k));
        }
        blocking.signal(keys);
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
                return services.storage().locks().lockAll();
            }
            keys.addAll(q.spec().keys(q.argv()));
        }
        if (keys.isEmpty()) {
            return null;
        }
        return services.storage().locks().lock(keys);
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
