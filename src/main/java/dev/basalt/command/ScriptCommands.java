package dev.basalt.command;

import static dev.basalt.command.CommandFlag.LOADING;
import static dev.basalt.command.CommandFlag.NOSCRIPT;
import static dev.basalt.command.CommandFlag.NO_MANDATORY_KEYS;
import static dev.basalt.command.CommandFlag.READONLY;
import static dev.basalt.command.CommandFlag.SCRIPT;
import static dev.basalt.command.CommandFlag.SKIP_MONITOR;
import static dev.basalt.command.CommandFlag.STALE;
import static dev.basalt.command.CommandFlag.WRITE;
import static dev.basalt.command.CommandSpec.command;

import dev.basalt.protocol.ErrorReply;
import dev.basalt.protocol.Reply;
import dev.basalt.protocol.ReplyValue;
import dev.basalt.protocol.ValueReply;
import dev.basalt.scripting.FunctionDump;
import dev.basalt.scripting.FunctionRegistry;
import dev.basalt.scripting.LibraryException;
import dev.basalt.scripting.LuaEngine;
import dev.basalt.scripting.ScriptErrors;
import dev.basalt.scripting.ScriptFlags;
import dev.basalt.scripting.ScriptHost;
import dev.basalt.scripting.ScriptRun;
import dev.basalt.scripting.ScriptStore;
import dev.basalt.scripting.Scripting;
import dev.basalt.storage.Storage;
import dev.basalt.storage.StorageException;
import dev.basalt.storage.Txn;
import dev.basalt.util.ByteKey;
import dev.basalt.util.Bytes;
import dev.basalt.util.Glob;
import dev.basalt.util.RedisNumbers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * EVAL, EVALSHA, EVAL_RO, EVALSHA_RO, FCALL, FCALL_RO, SCRIPT and FUNCTION. A script runs inside the
 * command's Txn like a command inside EXEC: its redis.call writes go into that one batch (each call
 * behind a savepoint), and the dispatcher commits it once the script returned, before any reply.
 */
final class ScriptCommands {
    private static final String GROUP = "scripting";

    private ScriptCommands() {
    }

    static void register(CommandTable t, Scripting scripting, Storage storage, ServerStats stats,
            KeyspaceNotifications notifications, Monitors monitors) {
        KeyExtractor scriptKeys = KeyExtractor.numkeys(2, false, 0);
        t.add(command("eval", -3).flags(NOSCRIPT, STALE, SKIP_MONITOR, NO_MANDATORY_KEYS, SCRIPT).keys(scriptKeys).group(GROUP).since("2.6.0")
                .summary("Executes a server-side Lua script.")
                .handler((ctx, argv) -> eval(ctx, argv, false, false, t, scripting, storage, stats, notifications, monitors)));
        t.add(command("evalsha", -3).flags(NOSCRIPT, STALE, SKIP_MONITOR, NO_MANDATORY_KEYS, SCRIPT).keys(scriptKeys).group(GROUP).since("2.6.0")
                .summary("Executes a server-side Lua script by SHA1 digest.")
                .handler((ctx, argv) -> eval(ctx, argv, true, false, t, scripting, storage, stats, notifications, monitors)));
        t.add(command("eval_ro", -3).flags(READONLY, NOSCRIPT, STALE, SKIP_MONITOR, NO_MANDATORY_KEYS, SCRIPT).keys(scriptKeys).group(GROUP).since("7.0.0")
                .summary("Executes a read-only server-side Lua script.")
                .handler((ctx, argv) -> eval(ctx, argv, false, true, t, scripting, storage, stats, notifications, monitors)));
        t.add(command("evalsha_ro", -3).flags(READONLY, NOSCRIPT, STALE, SKIP_MONITOR, NO_MANDATORY_KEYS, SCRIPT).keys(scriptKeys).group(GROUP)
                .since("7.0.0").summary("Executes a read-only server-side Lua script by SHA1 digest.")
                .handler((ctx, argv) -> eval(ctx, argv, true, true, t, scripting, storage, stats, notifications, monitors)));
        t.add(command("fcall", -3).flags(NOSCRIPT, STALE, SKIP_MONITOR, NO_MANDATORY_KEYS, SCRIPT).keys(scriptKeys).group(GROUP).since("7.0.0")
                .summary("Invokes a function.")
                .handler((ctx, argv) -> fcall(ctx, argv, false, t, scripting, stats, notifications, monitors)));
        t.add(command("fcall_ro", -3).flags(READONLY, NOSCRIPT, STALE, SKIP_MONITOR, NO_MANDATORY_KEYS, SCRIPT).keys(scriptKeys).group(GROUP).since("7.0.0")
                .summary("Invokes a read-only function.")
                .handler((ctx, argv) -> fcall(ctx, argv, true, t, scripting, stats, notifications, monitors)));
        t.add(command("script", -2).group(GROUP).since("2.6.0").summary("A container for Lua scripts management commands.")
                .subcommand(command("load", 3).flags(NOSCRIPT, STALE).since("2.6.0")
                        .summary("Loads a server-side Lua script to the script cache.")
                        .handler((ctx, argv) -> scriptLoad(ctx, argv, scripting, storage)))
                .subcommand(command("exists", -3).flags(NOSCRIPT).since("2.6.0")
                        .summary("Determines whether server-side Lua scripts exist in the script cache.")
                        .handler((ctx, argv) -> scriptExists(ctx, argv, scripting, storage)))
                .subcommand(command("flush", -2).flags(NOSCRIPT).since("2.6.0")
                        .summary("Removes all server-side Lua scripts from the script cache.")
                        .handler((ctx, argv) -> scriptFlush(ctx, argv, scripting, storage)))
                .subcommand(command("kill", 2).flags(NOSCRIPT).since("2.6.0")
                        .summary("Terminates a server-side Lua script during execution.")
                        .handler((ctx, argv) -> kill(ctx, scripting, false)))
                .subcommand(command("help", 2).flags(LOADING, STALE).since("5.0.0")
                        .summary("Returns helpful text about the different subcommands.")
                        .handler((ctx, argv) -> ServerCommands.help(ctx.out(), "SCRIPT",
                                "EXISTS <sha1> [<sha1> ...]",
                                "    Return information about the existence of the scripts in the script cache.",
                                "FLUSH [ASYNC|SYNC]",
                                "    Flush the Lua scripts cache. Very dangerous on replicas.",
                                "    When called without the optional mode argument, the behavior is determined by the",
                                "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
                                "    * ASYNC: Asynchronously flush the scripts cache.",
                                "    * SYNC: Synchronously flush the scripts cache.",
                                "KILL",
                                "    Kill the currently executing Lua script.",
                                "LOAD <script>",
                                "    Load a script into the scripts cache without executing it."))));
        t.add(command("function", -2).group(GROUP).since("7.0.0").summary("A container for function commands.")
                .subcommand(command("load", -3).flags(WRITE, NOSCRIPT).since("7.0.0")
                        .summary("Creates a library.")
                        .handler((ctx, argv) -> functionLoad(ctx, argv, scripting, storage)))
                .subcommand(command("delete", 3).flags(WRITE, NOSCRIPT).since("7.0.0")
                        .summary("Deletes a library and its functions.")
                        .handler((ctx, argv) -> functionDelete(ctx, argv, scripting, storage)))
                .subcommand(command("flush", -2).flags(WRITE, NOSCRIPT).since("7.0.0")
                        .summary("Deletes all libraries and functions.")
                        .handler((ctx, argv) -> functionFlush(ctx, argv, scripting, storage)))
                .subcommand(command("list", -2).flags(NOSCRIPT).since("7.0.0")
                        .summary("Returns information about all libraries.")
                        .handler((ctx, argv) -> functionList(ctx, argv, scripting)))
                .subcommand(command("dump", 2).flags(NOSCRIPT).since("7.0.0")
                        .summary("Dumps all libraries into a serialized binary payload.")
                        .handler((ctx, argv) -> ctx.out().bulk(FunctionDump.dump(scripting.functions().libraries()))))
                .subcommand(command("restore", -3).flags(WRITE, NOSCRIPT).since("7.0.0")
                        .summary("Restores all libraries from a payload.")
                        .handler((ctx, argv) -> functionRestore(ctx, argv, scripting, storage)))
                .subcommand(command("stats", 2).flags(NOSCRIPT).since("7.0.0")
                        .summary("Returns information about a function during execution.")
                        .handler((ctx, argv) -> functionStats(ctx, scripting)))
                .subcommand(command("kill", 2).flags(NOSCRIPT).since("7.0.0")
                        .summary("Terminates a function during execution.")
                        .handler((ctx, argv) -> kill(ctx, scripting, true)))
                .subcommand(command("help", 2).flags(LOADING, STALE).since("7.0.0")
                        .summary("Returns helpful text about the different subcommands.")
                        .handler((ctx, argv) -> ServerCommands.help(ctx.out(), "FUNCTION", FUNCTION_HELP))));
    }

    private static final String[] FUNCTION_HELP = {
        "LOAD [REPLACE] <FUNCTION CODE>",
        "    Create a new library with the given library name and code.",
        "DELETE <LIBRARY NAME>",
        "    Delete the given library.",
        "LIST [LIBRARYNAME PATTERN] [WITHCODE]",
        "    Return general information on all the libraries:",
        "    * Library name",
        "    * The engine used to run the Library",
        "    * Library description",
        "    * Functions list",
        "    * Library code (if WITHCODE is given)",
        "    It also possible to get only function that matches a pattern using LIBRARYNAME argument.",
        "STATS",
        "    Return information about the current function running:",
        "    * Function name",
        "    * Command used to run the function",
        "    * Duration in MS that the function is running",
        "    If no function is running, return nil",
        "    In addition, returns a list of available engines.",
        "KILL",
        "    Kill the current running function.",
        "FLUSH [ASYNC|SYNC]",
        "    Delete all the libraries.",
        "    When called without the optional mode argument, the behavior is determined by the",
        "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
        "    * ASYNC: Asynchronously flush the libraries.",
        "    * SYNC: Synchronously flush the libraries.",
        "DUMP",
        "    Return a serialized payload representing the current libraries, can be restored using FUNCTION RESTORE command",
        "RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]",
        "    Restore the libraries represented by the given payload, it is possible to give a restore policy to",
        "    control how to handle existing libraries (default APPEND):",
        "    * FLUSH: delete all existing libraries.",
        "    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.",
        "    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old",
        "      libraries with the new libraries (notice that even on this option there is a chance of failure",
        "      in case of functions name collision with another library).",
    };

    private static final String RO_WITH_WRITE_FLAG = "ERR Can not execute a script with write flag using *_ro command.";

    // ---- EVAL / FCALL ----

    /** numkeys and the keys and arguments after it, with Redis's errors. */
    private record Invocation(List<byte[]> keys, List<byte[]> args) {
    }

    private static Invocation invocation(byte[][] argv) throws ErrorReply {
        if (!RedisNumbers.isLong(argv[2])) {
            throw ErrorReply.notInteger();
        }
        long numkeys = RedisNumbers.parseLong(argv[2]);
        if (numkeys > argv.length - 3) {
            throw new ErrorReply("ERR Number of keys can't be greater than number of args");
        }
        if (numkeys < 0) {
            throw new ErrorReply("ERR Number of keys can't be negative");
        }
        List<byte[]> all = Arrays.asList(argv).subList(3, argv.length);
        return new Invocation(all.subList(0, (int) numkeys), all.subList((int) numkeys, all.size()));
    }

    private static void eval(ExecContext ctx, byte[][] argv, boolean bySha, boolean readOnlyCommand, CommandTable table,
            Scripting scripting, Storage storage, ServerStats stats, KeyspaceNotifications notifications,
            Monitors monitors) throws ErrorReply, StorageException {
        Invocation inv = invocation(argv);
        Scripting.Script script;
        if (bySha) {
            String sha = Bytes.str(argv[1]).toLowerCase(Locale.ROOT);
            script = scripting.get(sha);
            if (script == null && sha.length() == 40) {
                byte[] stored = ScriptStore.loadScript(ctx.txn(), sha);
                if (stored != null) {
                    script = load(scripting, stored);
                }
            }
            if (script == null) {
                throw new ErrorReply(ScriptErrors.NO_SCRIPT);
            }
        } else {
            boolean known = scripting.exists(scripting.shaOf(argv[1]));
            script = load(scripting, argv[1]);
            if (!known && !readOnlyCommand) {
                // Kvrocks keeps every script it ran, so EVALSHA finds it after a restart. Written apart from the
                // script's batch, which a kill, a failed commit or an all-keys rerun may drop.
                Scripting.Script loaded = script;
                persist(storage, ctx, txn -> ScriptStore.saveScript(txn, loaded.sha(), loaded.body()));
            }
        }
        if (readOnlyCommand && script.flags().shebang() && !script.flags().noWrites()) {
            throw new ErrorReply(RO_WITH_WRITE_FLAG);
        }
        boolean readOnly = readOnlyCommand || script.flags().noWrites();
        Bridge bridge = new Bridge(table, ctx, inv.keys(), stats, notifications, monitors);
        ScriptRun run = new ScriptRun(bridge, readOnly, script.sha(), false);
        run.setCommand(Arrays.asList(argv));
        bridge.run = run;
        ValueReply out = new ValueReply(ctx.out().protocol());
        Scripting.Script s = script;
        scripting.eval(s, inv.keys(), inv.args(), run, out);
        finish(run, bridge, out, ctx);
    }

    private static Scripting.Script load(Scripting scripting, byte[] body) throws ErrorReply {
        try {
            return scripting.load(body);
        } catch (Scripting.ScriptException e) {
            throw new ErrorReply(e.getMessage());
        }
    }

    private static void fcall(ExecContext ctx, byte[][] argv, boolean readOnlyCommand, CommandTable table,
            Scripting scripting, ServerStats stats, KeyspaceNotifications notifications, Monitors monitors)
            throws ErrorReply {
        Invocation inv = invocation(argv);
        String name = Bytes.str(argv[1]);
        FunctionRegistry.Function f = scripting.functions().function(name);
        if (f == null) {
            throw new ErrorReply("ERR Function not found");
        }
        boolean noWrites = f.flags().contains(ScriptFlags.Flag.NO_WRITES);
        if (readOnlyCommand && !noWrites) {
            throw new ErrorReply(RO_WITH_WRITE_FLAG);
        }
        Bridge bridge = new Bridge(table, ctx, inv.keys(), stats, notifications, monitors);
        ScriptRun run = new ScriptRun(bridge, readOnlyCommand || noWrites, name, true);
        run.setCommand(Arrays.asList(argv));
        bridge.run = run;
        ValueReply out = new ValueReply(ctx.out().protocol());
        scripting.fcall(name, inv.keys(), inv.args(), run, out);
        finish(run, bridge, out, ctx);
    }

    /**
     * The script's reply goes out, unless it was killed (its error, and its writes rolled back with
     * the command's savepoint) or touched undeclared keys (the dispatcher runs it again).
     */
    private static void finish(ScriptRun run, Bridge bridge, ValueReply out, ExecContext ctx) throws ErrorReply {
        if (bridge.undeclared) {
            throw new ScriptNeedsAllKeys();
        }
        bridge.showCallsToMonitors();
        ReplyValue value = out.single();
        if (run.killed()) {
            throw new ErrorReply(value instanceof ReplyValue.Error e ? e.text() : ScriptErrors.KILLED);
        }
        // The keyspace events of the script's calls become the script command's own, published after its commit.
        for (KeyspaceNotifications.Event e : bridge.events.gathered()) {
            ctx.notify(e.type(), e.name(), e.key());
        }
        value.writeTo(ctx.out());
    }

    /**
     * redis.call for one script: resolves and checks the command as Redis does from scripts, then runs
     * it in the script's Txn behind a savepoint, with its reply as a value.
     */
    private static final class Bridge implements ScriptHost {
        private static final long MAX_HELD_MONITOR_BYTES = 1 << 20;
        private final CommandTable table;
        private final ExecContext parent;
        private final Txn txn;
        private final Set<ByteKey> declared = new HashSet<>();
        private final boolean allKeys;
        private final ServerStats stats;
        final PendingEvents events;
        private final Monitors monitors;
        /**
         * MONITOR lines of the calls so far, held until the script finished: a script that touches an
         * undeclared key runs again, and its first calls must not be shown twice. Past a bound they
         * are shown at once (a rerun may then repeat them) rather than held in memory.
         */
        private final List<byte[]> monitorLines = new ArrayList<>();
        private long monitorBytes;
        private boolean monitorLive;
        ScriptRun run;
        volatile boolean undeclared;

        Bridge(CommandTable table, ExecContext parent, List<byte[]> keys, ServerStats stats,
                KeyspaceNotifications notifications, Monitors monitors) {
            this.table = table;
            this.monitors = monitors;
            this.parent = parent;
            this.txn = parent.txn();
            this.stats = stats;
            this.events = new PendingEvents(notifications);
            this.allKeys = ScriptNeedsAllKeys.HOLDING_ALL.get();
            this.monitorLive = allKeys; // holding every key, the script never runs again
            for (byte[] k : keys) {
                declared.add(new ByteKey(k));
            }
        }

        @Override
        public ReplyValue call(List<byte[]> args, int protocol, boolean readOnly) {
            byte[][] argv = args.toArray(new byte[0][]);
            CommandSpec base = table.get(CommandTable.lower(argv[0]));
            if (base == null) {
                return new ReplyValue.Error(ScriptErrors.UNKNOWN_COMMAND);
            }
            if (base.has(NOSCRIPT) || base.has(CommandFlag.TRANSACTION_CONTROL) || base.isTransactionExec()) {
                return new ReplyValue.Error(ScriptErrors.NOT_ALLOWED);
            }
            CommandSpec spec;
            try {
                spec = table.resolve(argv);
            } catch (ErrorReply e) {
                // an unknown subcommand is an unknown command, to scripts
                return new ReplyValue.Error(e.getMessage().startsWith("ERR wrong number of arguments")
                        ? ScriptErrors.WRONG_ARITY : ScriptErrors.UNKNOWN_COMMAND);
            }
            if (spec.has(NOSCRIPT)) {
                return new ReplyValue.Error(ScriptErrors.NOT_ALLOWED);
            }
            if (spec.has(CommandFlag.BLOCKING) && blockOption(argv)) {
                return new ReplyValue.Error("ERR " + spec.name() + " command is not allowed with BLOCK option from scripts");
            }
            if (readOnly && spec.has(WRITE)) {
                return new ReplyValue.Error(ScriptErrors.WRITE_FROM_READ_ONLY);
            }
            // A read-only script reads one snapshot: consistent without locks. A writer must hold what it touches.
            if (!allKeys && !readOnly && !keysDeclared(spec, argv)) {
                undeclared = true;
                run.kill();
                return new ReplyValue.Error(ScriptErrors.KILLED);
            }
            return execute(spec, argv, protocol);
        }

        private boolean keysDeclared(CommandSpec spec, byte[][] argv) {
            if (spec.has(CommandFlag.KEYSPACE)) {
                return false;
            }
            try {
                for (byte[] k : spec.keys(argv)) {
                    if (!declared.contains(new ByteKey(k))) {
                        return false;
                    }
                }
            } catch (ErrorReply e) {
                // malformed: the command answers its own error and touches nothing
            }
            return true;
        }

        private ReplyValue execute(CommandSpec spec, byte[][] argv, int protocol) {
            ServerStats.CommandCounters counters = stats.command(spec.fullName());
            long start = System.nanoTime();
            ValueReply values = new ValueReply(protocol);
            ReplyValue result;
            events.startCommand(spec, argv, txn);
            int touchedBefore = txn.touchedKeys().size();
            txn.savepoint();
            try {
                spec.handler().execute(new Nested(parent.client(), values, txn, events), argv);
                txn.releaseSavepoint();
                result = values.single();
                events.commandSucceeded(spec, argv, txn, touchedBefore, parent.client().namespace());
            } catch (ErrorReply | StorageException | RuntimeException e) {
                events.dropCommand();
                rollback();
                counters.failed.increment();
                result = new ReplyValue.Error(e instanceof ErrorReply ? e.getMessage()
                        : e instanceof StorageException ? "ERR " + e.getMessage() : "ERR internal error: " + e);
            }
            counters.calls.increment();
            counters.micros.add((System.nanoTime() - start) / 1000);
            if (!spec.has(CommandFlag.ADMIN)) {
                monitorCall(argv);
            }
            return result;
        }

        private void monitorCall(byte[][] argv) {
            if (!monitors.any()) {
                return;
            }
            byte[] line = monitors.scriptCallLine(argv);
            if (monitorLive) {
                monitors.push(line);
                return;
            }
            monitorLines.add(line);
            monitorBytes += line.length;
            if (monitorBytes > MAX_HELD_MONITOR_BYTES) {
                showCallsToMonitors();
            }
        }

        /** The script will not run again: its calls' MONITOR lines go out, and later ones at once. */
        void showCallsToMonitors() {
            monitorLive = true;
            for (byte[] line : monitorLines) {
                monitors.push(line);
            }
            monitorLines.clear();
            monitorBytes = 0;
        }

        private void rollback() {
            try {
                txn.rollbackToSavepoint();
            } catch (StorageException e) {
                // the Txn now carries the failure: its commit fails and the script answers that
            }
        }

        /** XREAD / XREADGROUP with a BLOCK option: refused from scripts, as in Redis. */
        private static boolean blockOption(byte[][] argv) {
            for (int i = 1; i < argv.length; i++) {
                String a = CommandTable.lower(argv[i]);
                if (a.equals("streams")) {
                    return false;
                }
                if (a.equals("block")) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public boolean commandExists(byte[] name) {
            return table.get(CommandTable.lower(name)) != null;
        }

        @Override
        public void log(int level, String message) {
            LuaEngine.logToServer(level, message);
        }
    }

    /** The context of a command a script calls: the script's client and Txn, its reply as values, never waiting. */
    private static final class Nested extends ExecContext {
        private final ClientSession client;
        private final Reply out;
        private final Txn txn;
        private final PendingEvents events;

        Nested(ClientSession client, Reply out, Txn txn, PendingEvents events) {
            this.client = client;
            this.out = out;
            this.txn = txn;
            this.events = events;
        }

        @Override
        public void notify(int type, String event, byte[] key) {
            events.add(type, event, client.namespace(), key);
        }

        @Override
        public ClientSession client() {
            return client;
        }

        @Override
        public Reply out() {
            return out;
        }

        @Override
        public Txn txn() {
            return txn;
        }

        @Override
        public boolean inExec() {
            return true;
        }

        @Override
        public boolean woken() {
            return false;
        }
    }

    // ---- SCRIPT ----

    private static void scriptLoad(ExecContext ctx, byte[][] argv, Scripting scripting, Storage storage)
            throws ErrorReply, StorageException {
        boolean known = scripting.exists(scripting.shaOf(argv[2]));
        Scripting.Script script = load(scripting, argv[2]);
        if (!known) {
            persist(storage, ctx, txn -> ScriptStore.saveScript(txn, script.sha(), script.body()));
        }
        ctx.out().bulk(script.sha());
    }

    private static void scriptExists(ExecContext ctx, byte[][] argv, Scripting scripting, Storage storage)
            throws StorageException {
        ctx.out().arrayHeader(argv.length - 2);
        for (int i = 2; i < argv.length; i++) {
            String sha = Bytes.str(argv[i]).toLowerCase(Locale.ROOT);
            boolean exists = scripting.exists(sha) || (sha.length() == 40 && ScriptStore.loadScript(ctx.txn(), sha) != null);
            ctx.out().integer(exists ? 1 : 0);
        }
    }

    private static void scriptFlush(ExecContext ctx, byte[][] argv, Scripting scripting, Storage storage)
            throws ErrorReply, StorageException {
        if (argv.length > 3 || (argv.length == 3 && !isSyncOrAsync(argv[2]))) {
            throw new ErrorReply("ERR SCRIPT FLUSH only support SYNC|ASYNC option");
        }
        persist(storage, ctx, ScriptStore::flushScripts);
        scripting.flush();
        ctx.out().ok();
    }

    private static boolean isSyncOrAsync(byte[] arg) {
        String a = CommandTable.lower(arg);
        return a.equals("sync") || a.equals("async");
    }

    /** SCRIPT KILL / FUNCTION KILL: stops the busy run of that kind; its batch is discarded, so even a writer can stop. */
    private static void kill(ExecContext ctx, Scripting scripting, boolean function) throws ErrorReply {
        ScriptRun busy = scripting.busy(scripting.busyThresholdMillis());
        if (busy == null) {
            throw new ErrorReply(ScriptErrors.NOT_BUSY);
        }
        if (busy.isFunction() != function) {
            throw new ErrorReply(busy.isFunction() ? ScriptErrors.BUSY_FUNCTION : ScriptErrors.BUSY_SCRIPT);
        }
        busy.kill();
        ctx.out().ok();
    }

    // ---- FUNCTION ----

    @FunctionalInterface
    private interface StoreWrite {
        void write(Txn txn) throws StorageException;
    }

    /** Writes the propagate-CF change in a Txn of its own and commits it before the registry changes. */
    private static void persist(Storage storage, ExecContext ctx, StoreWrite write) throws StorageException {
        try (Txn txn = storage.begin(ctx.client().namespace())) {
            write.write(txn);
            storage.commit(txn);
        }
    }

    private static void functionLoad(ExecContext ctx, byte[][] argv, Scripting scripting, Storage storage)
            throws ErrorReply, StorageException {
        boolean replace = false;
        int i = 2;
        if (argv.length > 3) {
            if (!CommandTable.lower(argv[2]).equals("replace")) {
                throw new ErrorReply("ERR Unknown option given: " + Bytes.str(argv[2]));
            }
            replace = true;
            i = 3;
        }
        if (i != argv.length - 1) {
            throw ErrorReply.syntax();
        }
        FunctionRegistry.Library lib = prepare(scripting, argv[i], replace);
        FunctionRegistry.Library old = scripting.functions().library(lib.name());
        persist(storage, ctx, txn -> {
            if (old != null) {
                ScriptStore.deleteLibrary(txn, old);
            }
            ScriptStore.saveLibrary(txn, lib);
        });
        scripting.functions().put(lib);
        ctx.out().bulk(lib.name());
    }

    private static FunctionRegistry.Library prepare(Scripting scripting, byte[] code, boolean replace) throws ErrorReply {
        try {
            return scripting.prepareLibrary(code, replace);
        } catch (LibraryException e) {
            throw new ErrorReply(e.getMessage());
        }
    }

    private static void functionDelete(ExecContext ctx, byte[][] argv, Scripting scripting, Storage storage)
            throws ErrorReply, StorageException {
        FunctionRegistry.Library lib = scripting.functions().library(Bytes.str(argv[2]));
        if (lib == null) {
            throw new ErrorReply("ERR Library not found");
        }
        persist(storage, ctx, txn -> ScriptStore.deleteLibrary(txn, lib));
        scripting.functions().delete(lib.name());
        ctx.out().ok();
    }

    private static void functionFlush(ExecContext ctx, byte[][] argv, Scripting scripting, Storage storage)
            throws ErrorReply, StorageException {
        if (argv.length > 3 || (argv.length == 3 && !isSyncOrAsync(argv[2]))) {
            throw new ErrorReply("ERR FUNCTION FLUSH only supports SYNC|ASYNC option");
        }
        List<FunctionRegistry.Library> all = scripting.functions().libraries();
        persist(storage, ctx, txn -> {
            for (FunctionRegistry.Library lib : all) {
                ScriptStore.deleteLibrary(txn, lib);
            }
        });
        scripting.functions().clear();
        ctx.out().ok();
    }

    private static void functionRestore(ExecContext ctx, byte[][] argv, Scripting scripting, Storage storage)
            throws ErrorReply, StorageException {
        String policy = argv.length > 3 ? CommandTable.lower(argv[3]) : "append";
        if (argv.length > 4 || !List.of("flush", "append", "replace").contains(policy)) {
            throw new ErrorReply("ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.");
        }
        List<byte[]> codes;
        try {
            codes = FunctionDump.restore(argv[2]);
        } catch (LibraryException e) {
            throw new ErrorReply(e.getMessage());
        }
        List<FunctionRegistry.Library> old = scripting.functions().libraries();
        // Checked against a scratch registry holding what would remain, so a refused payload changes nothing.
        FunctionRegistry scratch = new FunctionRegistry();
        if (!policy.equals("flush")) {
            for (FunctionRegistry.Library l : old) {
                scratch.put(l);
            }
        }
        List<FunctionRegistry.Library> restored = new ArrayList<>();
        for (byte[] code : codes) {
            FunctionRegistry.Library lib;
            try {
                lib = scripting.prepareLibrary(scratch, code, policy.equals("replace"));
            } catch (LibraryException e) {
                throw new ErrorReply(e.getMessage());
            }
            scratch.put(lib);
            restored.add(lib);
        }
        persist(storage, ctx, txn -> {
            if (policy.equals("flush")) {
                for (FunctionRegistry.Library l : old) {
                    ScriptStore.deleteLibrary(txn, l);
                }
            }
            for (FunctionRegistry.Library lib : restored) {
                FunctionRegistry.Library replaced = policy.equals("flush") ? null : scripting.functions().library(lib.name());
                if (replaced != null) {
                    ScriptStore.deleteLibrary(txn, replaced);
                }
                ScriptStore.saveLibrary(txn, lib);
            }
        });
        if (policy.equals("flush")) {
            scripting.functions().clear();
        }
        for (FunctionRegistry.Library lib : restored) {
            scripting.functions().put(lib);
        }
        ctx.out().ok();
    }

    private static void functionList(ExecContext ctx, byte[][] argv, Scripting scripting) throws ErrorReply {
        String pattern = null;
        boolean withCode = false;
        for (int i = 2; i < argv.length; i++) {
            String a = CommandTable.lower(argv[i]);
            if (a.equals("withcode") && !withCode) {
                withCode = true;
            } else if (a.equals("libraryname") && pattern == null) {
                if (i + 1 >= argv.length) {
                    throw new ErrorReply("ERR library name argument was not given");
                }
                pattern = Bytes.str(argv[++i]);
            } else {
                throw new ErrorReply("ERR Unknown argument " + Bytes.str(argv[i]));
            }
        }
        List<FunctionRegistry.Library> libs = new ArrayList<>();
        for (FunctionRegistry.Library l : scripting.functions().libraries()) {
            if (pattern == null || Glob.matches(pattern, l.name())) {
                libs.add(l);
            }
        }
        Reply out = ctx.out();
        out.arrayHeader(libs.size());
        for (FunctionRegistry.Library l : libs) {
            out.mapHeader(withCode ? 4 : 3);
            out.bulk("library_name");
            out.bulk(l.name());
            out.bulk("engine");
            out.bulk("LUA");
            out.bulk("functions");
            out.arrayHeader(l.functions().size());
            for (FunctionRegistry.Function f : l.functions()) {
                out.mapHeader(3);
                out.bulk("name");
                out.bulk(f.name());
                out.bulk("description");
                out.bulk(f.description());
                out.bulk("flags");
                List<String> flags = ScriptFlags.names(f.flags());
                out.setHeader(flags.size());
                for (String flag : flags) {
                    out.simple(flag);
                }
            }
            if (withCode) {
                out.bulk("library_code");
                out.bulk(l.code());
            }
        }
    }

    private static void functionStats(ExecContext ctx, Scripting scripting) {
        Reply out = ctx.out();
        out.mapHeader(2);
        out.bulk("running_script");
        ScriptRun running = null;
        for (ScriptRun r : scripting.running()) {
            if (r.isFunction() && (running == null || r.elapsedMillis() > running.elapsedMillis())) {
                running = r;
            }
        }
        if (running == null) {
            out.nullBulk();
        } else {
            out.mapHeader(3);
            out.bulk("name");
            out.bulk(running.name());
            out.bulk("command");
            out.arrayHeader(running.command().size());
            for (byte[] a : running.command()) {
                out.bulk(a);
            }
            out.bulk("duration_ms");
            out.integer(running.elapsedMillis());
        }
        out.bulk("engines");
        out.mapHeader(1);
        out.bulk("LUA");
        out.mapHeader(2);
        out.bulk("libraries_count");
        out.integer(scripting.functions().libraries().size());
        out.bulk("functions_count");
        int functions = 0;
        for (FunctionRegistry.Library l : scripting.functions().libraries()) {
            functions += l.functions().size();
        }
        out.integer(functions);
    }
}
