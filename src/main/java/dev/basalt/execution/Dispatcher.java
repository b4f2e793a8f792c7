package dev.basalt.execution;

import dev.basalt.command.BlockRequest;
import dev.basalt.command.ClientSession;
import dev.basalt.command.CommandFlag;
import dev.basalt.command.CommandSpec;
import dev.basalt.command.CommandTable;
import dev.basalt.command.PendingEvents;
import dev.basalt.command.PerfLog;
import dev.basalt.command.ScriptNeedsAllKeys;
import dev.basalt.command.ServerStats;
import dev.basalt.command.Services;
import dev.basalt.protocol.ErrorReply;
import dev.basalt.protocol.ProtocolException;
import dev.basalt.protocol.Reply;
import dev.basalt.protocol.ReplyBuffer;
import dev.basalt.protocol.ReplyValue;
import dev.basalt.protocol.RespReader;
import dev.basalt.protocol.RespWriter;
import dev.basalt.protocol.ValueReply;
import dev.basalt.scripting.ScriptErrors;
import dev.basalt.storage.KeyCodec;
import dev.basalt.storage.KeyLocks;
import dev.basalt.storage.StorageException;
import dev.basalt.storage.Txn;
import dev.basalt.util.ByteKey;
import dev.basalt.util.Log;
import dev.basalt.util.StepAside;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs requests. For each: resolves the command from the table, checks auth and admin rights,
 * queues it inside MULTI, then runs it on one of four paths:
 * <ul>
 * <li>a <b>burst</b>: a data command, together with the ones already buffered behind it that may
 * share its commit (pipelining). Their write keys are locked together in one order, each runs behind
 * a savepoint in one Txn, and one commit covers them all; if that commit fails they run again one by
 * one, so each gets the reply it would have had alone. Reads take no locks: they read the Txn's snapshot.
 * A single command is a burst of one.
 * <li><b>EXEC</b>: the queued commands under all their keys' locks, in one Txn, one commit, and one
 * error instead of the replies if the commit fails.
 * <li><b>blocking</b> commands (BLPOP...): when nothing can be served, the client is registered on the
 * keys while their locks are still held, then parks; a later commit to one of the keys serves it.
 * <li>everything else (connection and server commands) runs alone, without locks.
 * </ul>
 * Replies go into the connection's {@link ReplyBuffer}, which is sent only after {@code run} returns,
 * so no reply of a write leaves before RocksDB's {@code write()} returned. After a commit, WATCHers of
 * its keys are marked (still under the locks), and clients blocked on its keys are served before
 * {@code run} returns: by the time a push answers, the clients it fed have their elements.
 */
public final class Dispatcher {
    /** Most commands one burst runs and commits together. */
    static final int MAX_BURST = 256;

    /** What the dispatcher needs of the connection besides the request it runs. */
    public interface Connection {
        /** The next request if it is already buffered (null otherwise); never waits for the client. */
        byte[][] nextBuffered() throws IOException, ProtocolException;

        /** Sends the replies so far: a client about to park in a blocking command gets the earlier ones first. */
        void flushReplies() throws IOException;
    }

    private final CommandTable table;
    private final Services services;
    private final ServerStats stats;
    private final BlockingRegistry blocking = new BlockingRegistry();
    /** Serves blocked clients one feeding thread at a time, so that each key's waiters go first-come first-served. */
    private final ReentrantLock serveLock = new ReentrantLock();
    private final Operators operators;
    private final ReadTracking readTracking;
    private final LongReads longReads = new LongReads(Math.max(4, 2 * Runtime.getRuntime().availableProcessors()));

    public Dispatcher(CommandTable table, Services services) {
        this.table = table;
        this.services = services;
        this.stats = services.stats();
        this.operators = new Operators(services.slowLog(), services.monitors(), services.pause());
        this.readTracking = new ReadTracking(services.tracking());
    }

    public BlockingRegistry blocking() {
        return blocking;
    }

    /** The client's connection ended: it stops watching keys. */
    public void clientGone(ClientSession client) {
        services.keyEvents().unwatchAll(client);
        services.pubsub().unsubscribeAll(client);
        operators.clientReset(client);
        readTracking.clientGone(client);
    }

    /**
     * Runs a request and, when it starts a burst, the buffered requests that join it; replies are
     * appended to out. Returns when every request it took has been answered.
     */
    public void run(ClientSession client, byte[][] request, Connection more, RespWriter out)
            throws IOException, ProtocolException {
        byte[][] next = request;
        while (next != null) {
            next = runOne(client, next, more, out);
            out.setProtocol(client.protocol());
        }
    }

    /** A resolved request. */
    private record Command(CommandSpec spec, byte[][] argv) {
    }

    /** Runs one request (or a burst starting with it); returns a request it took but did not run, or null. */
    private byte[][] runOne(ClientSession client, byte[][] argv, Connection more, RespWriter out)
            throws IOException, ProtocolException {
        stats.commandsProcessed.increment();
        Command cmd = admit(client, argv, out);
        if (cmd == null) {
            return null;
        }
        CommandSpec spec = cmd.spec();
        operators.awaitPause(client, spec);
        readTracking.limitKeys();
        if (spec.isTransactionExec()) {
            long start = System.nanoTime();
            exec(client, out);
            operators.ran(client, spec, argv, (System.nanoTime() - start) / 1000);
            return null;
        }
        String busy = busyError(cmd);
        if (busy != null) {
            refuse(client, spec, out, busy);
            return null;
        }
        if (spec.has(CommandFlag.SCRIPT)) {
            runScript(client, cmd, out);
            return null;
        }
        if (spec.has(CommandFlag.BLOCKING)) {
            runBlocking(client, cmd, out, more);
            return null;
        }
        if (!joinsBurst(client, spec)) {
            runAlone(client, cmd, out);
            return null;
        }
        List<Command> burst = new ArrayList<>();
        burst.add(cmd);
        byte[][] left = null;
        while (burst.size() < MAX_BURST && (left = more.nextBuffered()) != null) {
            Command c = left == RespReader.TOO_LARGE ? null : resolveQuietly(left);
            if (c == null || !joinsBurst(client, c.spec()) || !allowed(client, c.spec()) || operators.pauseActive()
                    || busyError(c) != null) {
                break;
            }
            stats.commandsProcessed.increment();
            client.setLastCommand(c.spec().fullName());
            burst.add(c);
            left = null;
        }
        runBurst(client, burst, out);
        return left;
    }

    /**
     * Resolves the command and checks that this client may run it now; queues it inside MULTI. Returns
     * null when it was answered here (an error, or QUEUED).
     */
    private Command admit(ClientSession client, byte[][] argv, RespWriter out) {
        if (argv == RespReader.TOO_LARGE) {
            client.flagMultiError();
            reply(client, out, "ERR request too large for the memory requests may use right now; try again");
            return null;
        }
        CommandSpec spec;
        try {
            spec = table.resolve(argv);
        } catch (ErrorReply e) {
            client.flagMultiError();
            rejected(argv);
            reply(client, out, e.getMessage());
            return null;
        }
        client.setLastCommand(spec.fullName());
        if (!client.authenticated() && services.config().requiresAuth() && !spec.has(CommandFlag.NO_AUTH)) {
            refuse(client, spec, out, "NOAUTH Authentication required.");
            return null;
        }
        if (spec.has(CommandFlag.ADMIN) && !client.admin()) {
            refuse(client, spec, out, "ERR admin permission required to perform the command");
            return null;
        }
        if (client.inSubscribedMode() && !spec.has(CommandFlag.SUBSCRIBER_OK)) {
            refuse(client, spec, out, "ERR Can't execute '" + spec.fullName()
                    + "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context");
            return null;
        }
        if (client.inMulti() && !spec.has(CommandFlag.TRANSACTION_CONTROL)) {
            if (spec.has(CommandFlag.NO_MULTI)) {
                refuse(client, spec, out, "ERR Command not allowed inside a transaction");
                return null;
            }
            client.queue(new ClientSession.Queued(spec, argv));
            if (!suppressReply(client, client.replyMode())) {
                out.simple("QUEUED");
            }
            return null;
        }
        return new Command(spec, argv);
    }

    /** The command for a request gathered into a burst, or null when it must go the long way (an error...). */
    private Command resolveQuietly(byte[][] argv) {
        try {
            return new Command(table.resolve(argv), argv);
        } catch (ErrorReply e) {
            return null;
        }
    }

    private boolean allowed(ClientSession client, CommandSpec spec) {
        return (client.authenticated() || !services.config().requiresAuth() || spec.has(CommandFlag.NO_AUTH))
                && (!spec.has(CommandFlag.ADMIN) || client.admin())
                && (!client.inSubscribedMode() || spec.has(CommandFlag.SUBSCRIBER_OK));
    }

    /**
     * Data commands on named keys share a burst. Blocking, admin, keyspace-wide and transaction-control
     * commands, and connection or server commands (which may change how later ones run), go alone.
     */
    private static boolean joinsBurst(ClientSession client, CommandSpec spec) {
        return !client.inMulti() && client.replyMode() == ClientSession.ReplyMode.ON && client.tracking() == null
                && (spec.has(CommandFlag.WRITE) || spec.has(CommandFlag.READONLY))
                && !spec.has(CommandFlag.BLOCKING) && !spec.has(CommandFlag.ADMIN) && !spec.has(CommandFlag.KEYSPACE)
                && !spec.has(CommandFlag.TRANSACTION_CONTROL) && !spec.has(CommandFlag.NO_MULTI)
                && !spec.isTransactionExec() && !spec.has(CommandFlag.SCRIPT);
    }

    /** Answers a command that may not run now; inside MULTI this also dooms the transaction, as in Redis. */
    private void refuse(ClientSession client, CommandSpec spec, RespWriter out, String error) {
        client.flagMultiError();
        stats.command(spec.fullName()).rejected.increment();
        reply(client, out, error);
    }

    private void reply(ClientSession client, RespWriter out, String error) {
        if (!suppressReply(client, client.replyMode())) {
            out.error(error);
        }
    }

    /** Counts a refused call like Redis: on the subcommand for a container, nothing for unknown (sub)commands. */
    private void rejected(byte[][] argv) {
        CommandSpec known = table.get(CommandTable.lower(argv[0]));
        if (known != null && !known.subcommands().isEmpty() && argv.length >= 2) {
            known = known.subcommand(CommandTable.lower(argv[1]));
        }
        if (known != null) {
            stats.command(known.fullName()).rejected.increment();
        }
    }

    // ---- bursts and single commands -------------------------------------------------------------

    /** A command alone: a burst of one, plus CLIENT REPLY's OFF and SKIP. */
    private void runAlone(ClientSession client, Command cmd, RespWriter out) {
        ClientSession.ReplyMode modeBefore = client.replyMode();
        long mark = out.buffer().position();
        runBurst(client, List.of(cmd), out);
        if (suppressReply(client, modeBefore)) {
            out.buffer().truncate(mark);
        }
    }

    /**
     * Runs the commands in one Txn under their write keys' locks, each behind a savepoint, and commits
     * once. If the commit fails, a single command answers the storage error; a burst runs again one
     * command at a time from the first that wrote (the replies before it read committed data only), so
     * that every command gets exactly the reply it would have had alone. A command that writes a key
     * some client is blocked on ends the burst: that client is served before the next command runs, as
     * Redis serves it right after the command that fed it.
     */
    private void runBurst(ClientSession client, List<Command> burst, RespWriter out) {
        ReplyBuffer buf = out.buffer();
        List<byte[]> touched = List.of();
        int firstWrite = -1;
        long firstWriteMark = 0;
        StorageException commitError = null;
        Outcome last = Outcome.OK;
        int storageFailures = 0;
        int storageFailuresBeforeWrite = 0;
        KeyLocks.Held locks = lockFor(burst);
        Txn txn = services.storage().begin(client.namespace());
        int end = burst.size();
        try {
            Call call = new Call(services.storage(), client, out, txn, false, false, events());
            call.onApartCommit(this::serveBlocked);
            for (int i = 0; i < end; i++) {
                Command c = burst.get(i);
                int touchedBefore = txn.touchedKeys().size();
                long mark = buf.position();
                // A read's reply may go out early (it is large) only while nothing before it awaits the commit.
                buf.allowSpill(firstWrite < 0 && c.spec().has(CommandFlag.READONLY));
                last = runInTxn(c, call, txn, out, mark);
                buf.allowSpill(false);
                if (firstWrite < 0 && (txn.hasWrites() || txn.failure() != null)) {
                    firstWrite = i;
                    firstWriteMark = mark;
                    storageFailuresBeforeWrite = storageFailures;
                }
                if (last == Outcome.STORAGE_FAILED) {
                    storageFailures++;
                }
                if (blocking.anyWaiting() && blocking.anyWaitingOn(txn.touchedKeys().subList(touchedBefore,
                        txn.touchedKeys().size()))) {
                    end = i + 1;
                }
            }
            if (firstWrite >= 0) {
                try {
                    services.storage().commit(txn);
                    touched = committed(txn, client);
                    call.events().publishCommitted(txn);
                } catch (StorageException e) {
                    commitError = e;
                }
            } else {
                call.events().publishCommitted(txn); // reads only: their "keymiss" events, if any
            }
        } finally {
            txn.close();
            if (locks != null) {
                locks.close();
            }
        }
        if (commitError == null) {
            stats.writeFailures.add(storageFailures);
            serveBlocked(touched);
            if (end < burst.size()) {
                runBurst(client, burst.subList(end, burst.size()), out);
            }
            return;
        }
        if (burst.size() == 1) {
            // Its reply already is its own failure (the storage error that doomed the commit), or becomes it.
            stats.writeFailures.increment();
            if (last == Outcome.OK) {
                buf.truncate(firstWriteMark);
                stats.command(burst.get(0).spec().fullName()).failed.increment();
                out.error(errorText(commitError, burst.get(0).spec()));
            }
            return;
        }
        // The replies before the first write stand; from it on, each command runs alone and counts itself.
        stats.writeFailures.add(storageFailuresBeforeWrite);
        buf.truncate(firstWriteMark);
        for (int i = firstWrite; i < burst.size(); i++) {
            runBurst(client, List.of(burst.get(i)), out);
        }
    }

    /** How a command run in a shared Txn ended; a storage failure counts in write_failures once its reply is final. */
    private enum Outcome { OK, FAILED, STORAGE_FAILED }

    /** Runs one command in the shared Txn, behind a savepoint; its failure becomes its reply. */
    private Outcome runInTxn(Command c, Call call, Txn txn, RespWriter out, long mark) {
        ServerStats.CommandCounters counters = stats.command(c.spec().fullName());
        long start = System.nanoTime();
        call.client().setLastCommand(c.spec().fullName());
        Outcome outcome = Outcome.OK;
        call.events().startCommand(c.spec(), c.argv(), txn);
        int touchedBefore = txn.touchedKeys().size();
        readTracking.beforeCommand(call.client(), c.spec(), c.argv());
        if (c.spec().has(CommandFlag.SKIP_MONITOR)) {
            operators.scriptStarting(call.client(), c.argv());
        }
        txn.savepoint();
        // A command of a burst is sampled for what it asks of RocksDB itself; the shared commit is not its own.
        PerfLog.Sample sample = services.perfLog().begin(c.spec().fullName());
        try {
            execute(c, call, txn, out.buffer(), mark);
            txn.releaseSavepoint();
            succeeded(call, c, txn, touchedBefore);
        } catch (BlockRequest e) {
            // Only blocking commands ask to wait, and they never run here; answer at once if one does.
            call.events().dropCommand();
            rollback(txn);
            truncateOrFail(out, mark);
            e.timeoutReply().accept(out);
        } catch (ErrorReply | StorageException | RuntimeException | Error e) {
            call.events().dropCommand();
            rollback(txn);
            if (e instanceof UncheckedIOException gone && !out.buffer().holdsSince(mark)) {
                throw gone; // the client's socket failed while its reply was going out: the connection ends
            }
            truncateOrFail(out, mark);
            out.error(errorText(e, c.spec()));
            counters.failed.increment();
            outcome = e instanceof StorageException ? Outcome.STORAGE_FAILED : Outcome.FAILED;
        } finally {
            if (sample != null) {
                sample.end();
            }
        }
        long micros = (System.nanoTime() - start) / 1000;
        counters.calls.increment();
        counters.micros.add(micros);
        readTracking.afterCommand(call.client(), c.spec(), c.argv());
        operators.ran(call.client(), c.spec(), c.argv(), micros);
        return outcome;
    }

    /**
     * Runs the command's handler. A read on a connection's thread that is still walking after its first
     * slice, with none of its reply gone out yet, starts over on a platform thread ({@link LongReads}):
     * reads change nothing, and it reads the same Txn, so its second run sees what the first saw.
     */
    private void execute(Command c, Call call, Txn txn, ReplyBuffer buf, long mark) throws ErrorReply, StorageException {
        if (!c.spec().has(CommandFlag.READONLY) || c.spec().has(CommandFlag.WRITE) || !LongReads.mayMove()) {
            c.spec().handler().execute(call, c.argv());
            return;
        }
        txn.onSliceEnd(() -> {
            if (buf.holdsSince(mark)) {
                throw LongReads.MOVE;
            }
            StepAside.now();
        });
        try {
            c.spec().handler().execute(call, c.argv());
            return;
        } catch (LongReads.Move moved) {
            buf.truncate(mark);
            call.events().dropCommand();
        } finally {
            txn.onSliceEnd(null);
        }
        stats.longReadsMoved.increment();
        try {
            longReads.run(() -> {
                txn.onSliceEnd(longReads::sliceEnded);
                try {
                    c.spec().handler().execute(call, c.argv());
                } finally {
                    txn.onSliceEnd(null);
                }
            });
        } catch (LongReads.Stopped stopped) {
            if (buf.holdsSince(mark)) {
                throw new ErrorReply("ERR the server is shutting down");
            }
            // Part of the reply went out: it cannot be completed, so the connection ends as if its socket had.
            throw new UncheckedIOException(new IOException("the server is shutting down"));
        }
    }

    /** The server is stopping: long reads end at their next slice (see {@link LongReads#stop}). */
    public void stopLongReads() {
        longReads.stop();
    }

    /** Waits up to the timeout for long reads still running; true when none is left. */
    public boolean awaitLongReads(long timeoutMillis) {
        return longReads.awaitStopped(timeoutMillis);
    }

    /** A command ran without error: its declared keyspace events join those awaiting the commit. */
    private static void succeeded(Call call, Command c, Txn txn, int touchedBefore) {
        try {
            call.events().commandSucceeded(c.spec(), c.argv(), txn, touchedBefore, call.client().namespace());
        } catch (StorageException e) {
            // The "del" check could not read: the commit will most likely fail too, and say why.
        }
    }

    private PendingEvents events() {
        return new PendingEvents(services.notifications());
    }

    /**
     * The one mapping from a command's failure to its error reply: an ErrorReply is its own text, a
     * storage failure is "ERR" and RocksDB's status (the caller counts it in write_failures once the
     * reply is final), anything else is a bug: logged, and answered as an internal error so the client
     * stays in step.
     */
    private String errorText(Throwable e, CommandSpec spec) {
        if (e instanceof ErrorReply r) {
            return r.getMessage();
        }
        if (e instanceof StorageException s) {
            return "ERR " + s.getMessage();
        }
        Log.error("command " + spec.fullName() + " failed", e);
        return "ERR internal error: " + e;
    }

    private void countStorageFailure(Throwable e) {
        if (e instanceof StorageException) {
            stats.writeFailures.increment();
        }
    }

    /** Drops a failed command's partial reply; if part of it already went out, the stream cannot be mended. */
    private static void truncateOrFail(RespWriter out, long mark) {
        if (!out.buffer().truncate(mark)) {
            throw new IllegalStateException("a reply already partly sent cannot be replaced by an error");
        }
    }

    /** Undoes a failed command's own writes; a Txn that cannot roll back cannot commit either. */
    private static void rollback(Txn txn) {
        try {
            txn.rollbackToSavepoint();
        } catch (StorageException e) {
            // Txn.failure() is now set, so the commit fails and the caller answers accordingly.
        }
    }

    /**
     * Locks the keys the commands write, in one fixed order; a keyspace-wide write (FLUSHDB, FLUSHALL)
     * locks everything. Reads take no locks. EXEC locks the keys of reads too, for its isolation.
     */
    private KeyLocks.Held lockFor(List<Command> commands) {
        return lock(commands, false);
    }

    private KeyLocks.Held lock(List<Command> commands, boolean readsToo) {
        List<byte[]> keys = null;
        for (Command c : commands) {
            List<byte[]> own = keysToLock(c, readsToo);
            if (own == EVERY_KEY) {
                return services.storage().locks().lockAll();
            }
            if (keys == null) {
                keys = own; // the common single command: its own list, no copy
            } else if (!own.isEmpty()) {
                if (!(keys instanceof ArrayList<byte[]>)) {
                    keys = new ArrayList<>(keys);
                }
                keys.addAll(own);
            }
        }
        return keys == null || keys.isEmpty() ? null : services.storage().locks().lock(keys);
    }

    /** Stands for "the whole keyspace" in {@link #keysToLock}. */
    private static final List<byte[]> EVERY_KEY = List.of(new byte[0]);

    /** The keys one command must lock: those it writes (or reads too, for EXEC), or {@link #EVERY_KEY}. */
    private static List<byte[]> keysToLock(Command c, boolean readsToo) {
        CommandSpec spec = c.spec();
        boolean writes = spec.has(CommandFlag.WRITE);
        if (writes && spec.has(CommandFlag.KEYSPACE)) {
            return EVERY_KEY;
        }
        if (!writes && !readsToo && !spec.has(CommandFlag.BLOCKING) && !spec.has(CommandFlag.SCRIPT)) {
            return List.of();
        }
        try {
            return spec.keys(c.argv());
        } catch (ErrorReply e) {
            return List.of(); // malformed: the handler answers the error, touching no key
        }
    }

    /**
     * After a commit, still under its locks: WATCHers of the keys it wrote see the change, and clients
     * that may cache them are told.
     */
    private List<byte[]> committed(Txn txn, ClientSession writer) {
        readTracking.committed(txn, writer);
        List<byte[]> touched = txn.touchedKeys();
        if (touched.isEmpty()) {
            return List.of();
        }
        services.keyEvents().modified(touched);
        return new ArrayList<>(touched);
    }

    // ---- scripts --------------------------------------------------------------------------------

    /**
     * EVAL / EVALSHA / FCALL: the script runs like EXEC, in one Txn under its declared keys' locks (reads
     * too), each redis.call behind a savepoint; its reply waits for the commit, and a failed commit
     * answers one error and applies nothing. A script that touched a key it did not declare ran
     * unisolated: its Txn is dropped (nothing of it was applied) and it runs again holding every key.
     */
    private void runScript(ClientSession client, Command cmd, RespWriter out) {
        ClientSession.ReplyMode modeBefore = client.replyMode();
        ServerStats.CommandCounters counters = stats.command(cmd.spec().fullName());
        long start = System.nanoTime();
        ReplyBuffer buf = out.buffer();
        long mark = buf.position();
        List<byte[]> touched = List.of();
        boolean failed = false;
        boolean allKeys = false;
        operators.scriptStarting(client, cmd.argv());
        while (true) {
            KeyLocks.Held locks = allKeys ? services.storage().locks().lockAll() : lock(List.of(cmd), true);
            Txn txn = services.storage().begin(client.namespace());
            RunningScript running = new RunningScript(cmd.spec(), allKeys ? null : keysOf(cmd), System.nanoTime());
            runningScripts.add(running);
            ScriptNeedsAllKeys.HOLDING_ALL.set(allKeys);
            try {
                Call call = new Call(services.storage(), client, out, txn, false, false, events());
                call.events().startCommand(cmd.spec(), cmd.argv(), txn);
                try {
                    cmd.spec().handler().execute(call, cmd.argv());
                    succeeded(call, cmd, txn, 0);
                } catch (ScriptNeedsAllKeys e) {
                    call.events().clear();
                    truncateOrFail(out, mark);
                    allKeys = true;
                    continue;
                } catch (ErrorReply | StorageException | RuntimeException | Error e) {
                    call.events().clear();
                    truncateOrFail(out, mark);
                    out.error(errorText(e, cmd.spec()));
                    countStorageFailure(e);
                    failed = true;
                    break;
                }
                if (txn.hasWrites() || txn.failure() != null) {
                    try {
                        services.storage().commit(txn);
                        touched = committed(txn, client);
                        call.events().publishCommitted(txn);
                    } catch (StorageException e) {
                        call.events().clear();
                        stats.writeFailures.increment();
                        truncateOrFail(out, mark);
                        out.error("ERR script aborted, no command applied: " + e.getMessage());
                        failed = true;
                    }
                }
                break;
            } finally {
                ScriptNeedsAllKeys.HOLDING_ALL.set(false);
                runningScripts.remove(running);
                txn.close();
                if (locks != null) {
                    locks.close();
                }
            }
        }
        long micros = (System.nanoTime() - start) / 1000;
        counters.calls.increment();
        counters.micros.add(micros);
        if (failed) {
            counters.failed.increment();
        }
        operators.ran(client, cmd.spec(), cmd.argv(), micros);
        if (suppressReply(client, modeBefore)) {
            buf.truncate(mark);
        }
        serveBlocked(touched);
    }

    /** A script in progress: the keys it holds (null: every key), for BUSY answers once it runs long. */
    private record RunningScript(CommandSpec spec, Set<ByteKey> keys, long startNanos) {
    }

    private final java.util.Set<RunningScript> runningScripts = ConcurrentHashMap.newKeySet();

    private static Set<ByteKey> keysOf(Command cmd) {
        Set<ByteKey> keys = new HashSet<>();
        try {
            for (byte[] k : cmd.spec().keys(cmd.argv())) {
                keys.add(new ByteKey(k));
            }
        } catch (ErrorReply e) {
            // malformed: the script command answers its own error
        }
        return keys;
    }

    /**
     * Redis's BUSY answer for a command that would wait for a script running longer than
     * lua-time-limit: only commands that lock keys the script holds (reads never wait: they read their
     * snapshot; writers of other keys go on). Null when the command may proceed.
     */
    private String busyError(Command cmd) {
        if (runningScripts.isEmpty()) {
            return null;
        }
        long threshold = services.scripting().busyThresholdMillis() * 1_000_000L;
        long now = System.nanoTime();
        List<byte[]> wanted = null;
        for (RunningScript r : runningScripts) {
            if (now - r.startNanos() < threshold) {
                continue;
            }
            if (wanted == null) {
                wanted = keysToLock(cmd, cmd.spec().has(CommandFlag.SCRIPT));
                if (wanted.isEmpty()) {
                    return null;
                }
            }
            boolean conflict = r.keys() == null || wanted == EVERY_KEY;
            for (int i = 0; !conflict && i < wanted.size(); i++) {
                conflict = r.keys().contains(new ByteKey(wanted.get(i)));
            }
            if (conflict) {
                return r.spec().name().startsWith("fcall") ? ScriptErrors.BUSY_FUNCTION
                        : ScriptErrors.BUSY_SCRIPT;
            }
        }
        return null;
    }

    // ---- EXEC -----------------------------------------------------------------------------------

    /**
     * EXEC: runs the queued commands against one Txn, each behind a savepoint, under all their keys'
     * locks; the replies go out only after RocksDB accepted the whole batch, or one error replaces them.
     */
    private void exec(ClientSession client, RespWriter out) {
        ServerStats.CommandCounters counters = stats.command("exec");
        long start = System.nanoTime();
        if (!client.inMulti()) {
            out.error("ERR EXEC without MULTI");
            counters.failed.increment();
            counters.calls.increment();
            return;
        }
        boolean queueError = client.multiError();
        List<ClientSession.Queued> queued = client.endMulti();
        List<byte[]> touched = List.of();
        try {
            if (queueError) {
                stats.txnAborted.increment();
                out.error("EXECABORT Transaction discarded because of previous errors.");
                counters.failed.increment();
                return;
            }
            List<Command> commands = new ArrayList<>(queued.size());
            for (ClientSession.Queued q : queued) {
                commands.add(new Command(q.spec(), q.argv()));
            }
            // A script may touch keys it did not declare, and EXEC cannot run again: with one, EXEC holds every key.
            boolean scripts = commands.stream().anyMatch(c -> c.spec().has(CommandFlag.SCRIPT));
            KeyLocks.Held locks = scripts ? services.storage().locks().lockAll() : lock(commands, true);
            ScriptNeedsAllKeys.HOLDING_ALL.set(scripts);
            try {
                if (watchBroken(client)) {
                    stats.txnAborted.increment();
                    out.nullArray();
                    return;
                }
                client.setRunningExec(true);
                try {
                    touched = runQueued(client, commands, out);
                } finally {
                    client.setRunningExec(false);
                }
            } finally {
                ScriptNeedsAllKeys.HOLDING_ALL.set(false);
                if (locks != null) {
                    locks.close();
                }
            }
        } finally {
            services.keyEvents().unwatchAll(client);
            counters.calls.increment();
            counters.micros.add((System.nanoTime() - start) / 1000);
        }
        serveBlocked(touched);
    }

    /** The queued commands in one Txn; returns the keys the commit touched (none when it failed). */
    private List<byte[]> runQueued(ClientSession client, List<Command> commands, RespWriter out) {
        ReplyBuffer buf = out.buffer();
        long start = buf.position();
        out.arrayHeader(commands.size());
        Txn txn = services.storage().begin(client.namespace());
        try {
            Call call = new Call(services.storage(), client, out, txn, true, false, events());
            int storageFailures = 0;
            for (Command c : commands) {
                if (runInTxn(c, call, txn, out, buf.position()) == Outcome.STORAGE_FAILED) {
                    storageFailures++;
                }
                // Protocol changes by HELLO inside MULTI apply to the following replies, as in Redis.
                out.setProtocol(client.protocol());
            }
            try {
                services.storage().commit(txn);
            } catch (StorageException e) {
                stats.txnAborted.increment();
                stats.writeFailures.increment();
                buf.truncate(start);
                out.error("ERR EXEC aborted, no command applied: " + e.getMessage());
                return List.of();
            }
            stats.txnCommitted.increment();
            stats.writeFailures.add(storageFailures);
            List<byte[]> touched = committed(txn, client);
            call.events().publishCommitted(txn);
            return touched;
        } finally {
            txn.close();
        }
    }

    /** True when a watched key was written since WATCH, or has expired since. */
    private static boolean watchBroken(ClientSession client) {
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

    // ---- blocking commands ----------------------------------------------------------------------

    /**
     * A blocking command: runs it under its keys' locks; when it asks to wait, registers the client on
     * the keys before the locks are released, parks, and answers whatever the feeding thread served
     * it, or the timeout reply.
     */
    private void runBlocking(ClientSession client, Command cmd, RespWriter out, Connection connection)
            throws IOException {
        ServerStats.CommandCounters counters = stats.command(cmd.spec().fullName());
        long start = System.nanoTime();
        long mark = out.buffer().position();
        Single run = runSingle(client, cmd, out, false, false, true);
        boolean failed = run.error() != null;
        if (run.block() != null || failed) {
            out.buffer().truncate(mark);
        }
        if (failed) {
            out.error(run.error());
        }
        BlockingRegistry.Waiter waiter = run.waiter();
        if (waiter == null) {
            operators.ran(client, cmd.spec(), cmd.argv(), (System.nanoTime() - start) / 1000);
        } else {
            // A parked command is not slow: SLOWLOG leaves it out, as Redis leaves out the time blocked.
            operators.ran(client, cmd.spec(), cmd.argv(), 0);
            connection.flushReplies();
            client.setUnblocker(waiter::unblock);
            client.setBlocked(true);
            BlockingRegistry.Outcome outcome;
            try {
                outcome = waiter.await(deadlineNanos(run.block().timeoutMillis()), client.channel().hangupWatch());
            } finally {
                client.setBlocked(false);
                client.setUnblocker(null);
            }
            switch (outcome) {
                case SERVED -> {
                    out.raw(waiter.reply());
                    failed = waiter.failed();
                }
                case TIMED_OUT -> {
                    blocking.unregister(waiter);
                    run.block().timeoutReply().accept(out);
                }
                case DISCONNECTED -> blocking.unregister(waiter); // no reply: nobody listens, nothing taken
                case UNBLOCKED_ERROR -> {
                    blocking.unregister(waiter);
                    out.error("UNBLOCKED client unblocked via CLIENT UNBLOCK");
                    failed = true;
                }
            }
        }
        counters.calls.increment();
        counters.micros.add((System.nanoTime() - start) / 1000);
        if (failed) {
            counters.failed.increment();
        }
        serveBlocked(run.touched());
    }

    /**
     * How a command run alone ended: committed (the keys it touched), asking to block (and, when asked,
     * registered as a waiter while its keys were still locked), or failed (its error text; its partial
     * reply is the caller's to drop).
     */
    private record Single(List<byte[]> touched, BlockRequest block, BlockingRegistry.Waiter waiter, String error) {
    }

    /** Runs one command alone: under its keys' locks, in its own Txn, committed before the locks go. */
    private Single runSingle(ClientSession client, Command cmd, Reply out, boolean inExec, boolean woken,
            boolean registerWaiter) {
        KeyLocks.Held locks = lockFor(List.of(cmd));
        Txn txn = services.storage().begin(client.namespace());
        PerfLog.Sample sample = services.perfLog().begin(cmd.spec().fullName());
        try {
            Call call = new Call(services.storage(), client, out, txn, inExec, woken, events());
            try {
                readTracking.beforeCommand(client, cmd.spec(), cmd.argv());
                call.events().startCommand(cmd.spec(), cmd.argv(), txn);
                cmd.spec().handler().execute(call, cmd.argv());
                readTracking.afterCommand(client, cmd.spec(), cmd.argv());
                succeeded(call, cmd, txn, 0);
                services.storage().commit(txn);
                List<byte[]> touched = committed(txn, client);
                call.events().publishCommitted(txn);
                return new Single(touched, null, null, null);
            } catch (BlockRequest e) {
                BlockingRegistry.Waiter w = registerWaiter
                        ? blocking.register(client, cmd.spec(), e.argvWhenWoken() != null ? e.argvWhenWoken() : cmd.argv(),
                                scoped(client, e.keys()), e.wokenByDeletion())
                        : null;
                return new Single(List.of(), e, w, null);
            } catch (ErrorReply | StorageException | RuntimeException | Error e) {
                countStorageFailure(e);
                return new Single(List.of(), null, null, errorText(e, cmd.spec()));
            }
        } finally {
            if (sample != null) {
                sample.end();
            }
            txn.close();
            if (locks != null) {
                locks.close();
            }
        }
    }

    private static List<ByteKey> scoped(ClientSession client, List<byte[]> keys) {
        KeyCodec codec = new KeyCodec(client.namespace());
        List<ByteKey> out = new ArrayList<>(keys.size());
        for (byte[] k : keys) {
            out.add(new ByteKey(codec.metadataKey(k)));
        }
        return out;
    }

    /** The System.nanoTime() deadline of a blocking timeout, 0 = none; timeouts of centuries count as none. */
    private static long deadlineNanos(long timeoutMillis) {
        if (timeoutMillis == 0 || timeoutMillis > Long.MAX_VALUE / 2_000_000L) {
            return 0;
        }
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        return deadline == 0 ? 1 : deadline;
    }

    /**
     * Serves the clients blocked on keys a commit just wrote, on the committing thread and before it
     * replies, longest waiter first; a served command's own writes (BLMOVE's destination) serve their
     * waiters in turn. A waiter that still finds nothing waits on; one of another kind (a sorted-set pop
     * on a list key) does not stop the others.
     */
    private void serveBlocked(List<byte[]> touched) {
        if (touched.isEmpty() || !blocking.anyWaiting()) {
            return;
        }
        serveLock.lock();
        try {
            ArrayDeque<ByteKey> ready = new ArrayDeque<>();
            for (byte[] k : touched) {
                ready.add(new ByteKey(k));
            }
            ByteKey key;
            while ((key = ready.poll()) != null) {
                Boolean present = null; // whether the key exists, looked up once between two serves
                for (BlockingRegistry.Waiter w : blocking.waitersOn(key)) {
                    if (Boolean.FALSE.equals(present) && !w.wokenByDeletion()) {
                        continue; // emptied: only a waiter that answers a deletion can be served from it
                    }
                    if (!w.claim()) {
                        continue;
                    }
                    List<byte[]> fed = serve(w);
                    if (fed == null) {
                        w.unclaim();
                        if (present == null) {
                            present = exists(key);
                        }
                        continue;
                    }
                    present = null;
                    for (byte[] k : fed) {
                        ready.add(new ByteKey(k));
                    }
                }
            }
        } finally {
            serveLock.unlock();
        }
    }

    /** Runs a claimed waiter's command for it; null when it still has to wait, else the keys its commit touched. */
    private List<byte[]> serve(BlockingRegistry.Waiter w) {
        ClientSession client = w.client();
        RespWriter out = new RespWriter(new ReplyBuffer(), client.protocol());
        Single run = runSingle(client, new Command(w.spec(), w.argv()), out, false, true, false);
        if (run.block() != null) {
            return null;
        }
        if (run.error() != null) {
            out.buffer().truncate(0);
            out.error(run.error());
        }
        blocking.unregister(w);
        w.complete(out.buffer().copyFrom(0), run.error() != null);
        return run.touched();
    }

    /** Whether a key (a metadata key, naming its namespace) has an entry at all. */
    private boolean exists(ByteKey metadataKey) {
        String ns = KeyCodec.namespaceOf(metadataKey.bytes());
        if (ns == null) {
            return false;
        }
        try (Txn txn = services.storage().begin(ns)) {
            return txn.get(dev.basalt.storage.ColumnFamily.METADATA, metadataKey.bytes()) != null;
        } catch (StorageException e) {
            return true; // unsure: let the next waiter try
        }
    }

    // ---- replies as values --------------------------------------------------------------------

    /**
     * Runs one command for a caller that needs its reply as values rather than bytes (scripts will;
     * tests do): alone, under its keys' locks, committed before it returns; a blocking command answers
     * at once, as inside EXEC. The reply (or the one error) is written to out, whichever kind it is.
     */
    public void call(ClientSession client, byte[][] argv, Reply out) {
        CommandSpec spec;
        try {
            spec = table.resolve(argv);
        } catch (ErrorReply e) {
            out.error(e.getMessage());
            return;
        }
        if (spec.isTransactionExec() || spec.has(CommandFlag.TRANSACTION_CONTROL)) {
            out.error("ERR " + spec.fullName().toUpperCase(java.util.Locale.ROOT) + " cannot be called this way");
            return;
        }
        ServerStats.CommandCounters counters = stats.command(spec.fullName());
        long start = System.nanoTime();
        ValueReply values = new ValueReply(out.protocol());
        Single run = runSingle(client, new Command(spec, argv), values, true, false, false);
        if (run.block() != null) {
            values.clear();
            run.block().timeoutReply().accept(values);
        }
        counters.calls.increment();
        counters.micros.add((System.nanoTime() - start) / 1000);
        if (run.error() != null) {
            counters.failed.increment();
            out.error(run.error());
        } else {
            for (ReplyValue v : values.values()) {
                v.writeTo(out);
            }
        }
        serveBlocked(run.touched());
    }

    // ---- CLIENT REPLY ---------------------------------------------------------------------------

    /**
     * CLIENT REPLY: OFF silences replies until CLIENT REPLY ON (whose +OK is sent); SKIP silences the
     * next command's reply. {@code before} is the mode when the command started.
     */
    private static boolean suppressReply(ClientSession client, ClientSession.ReplyMode before) {
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
}
