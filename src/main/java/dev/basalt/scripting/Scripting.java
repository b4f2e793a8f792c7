package dev.basalt.scripting;

import dev.basalt.protocol.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The server's scripting: the EVAL script cache (by SHA1), the FUNCTION libraries, the interpreters
 * that run them, and the runs in progress (for BUSY and SCRIPT KILL / FUNCTION KILL).
 */
public final class Scripting implements AutoCloseable {
    /** A cached script: its body and the flags of its shebang line. */
    public record Script(String sha, byte[] body, ScriptFlags.Parsed flags) {
    }

    /** A script the cache refused: the message is the error reply. */
    public static final class ScriptException extends Exception {
        private static final long serialVersionUID = 1L;

        public ScriptException(String message) {
            super(message);
        }
    }

    private final Map<String, Script> scripts = new ConcurrentHashMap<>();
    private final FunctionRegistry functions = new FunctionRegistry();
    private final ScriptExecutor executor;
    private final Set<ScriptRun> running = ConcurrentHashMap.newKeySet();
    private volatile LongSupplier busyThreshold = () -> 5000;

    public Scripting(int threads) {
        executor = new ScriptExecutor(threads);
    }

    public FunctionRegistry functions() {
        return functions;
    }

    /** The SHA1 a body is cached under. */
    public String shaOf(byte[] body) {
        return Sha1.hex(body);
    }

    /** busy-reply-threshold (lua-time-limit): how long a run goes before it counts as busy (BUSY, SCRIPT KILL). */
    public long busyThresholdMillis() {
        return busyThreshold.getAsLong();
    }

    public void setBusyThreshold(LongSupplier millis) {
        busyThreshold = millis;
    }

    /** EVAL / SCRIPT LOAD: checks the shebang and compiles the body; answers the cached script. */
    public Script load(byte[] body) throws ScriptException {
        String sha = Sha1.hex(body);
        Script cached = scripts.get(sha);
        if (cached != null) {
            return cached;
        }
        ScriptFlags.Parsed flags;
        try {
            flags = ScriptFlags.ofScript(body);
        } catch (IllegalArgumentException e) {
            throw new ScriptException(e.getMessage());
        }
        String error = call(engine -> engine.compile(sha, body));
        if (error != null) {
            throw new ScriptException(error);
        }
        Script script = new Script(sha, body, flags);
        scripts.put(sha, script);
        return script;
    }

    /** The cached script for a SHA1 (any case), or null. */
    public Script get(String sha) {
        return scripts.get(sha.toLowerCase(Locale.ROOT));
    }

    public boolean exists(String sha) {
        return get(sha) != null;
    }

    public int cachedCount() {
        return scripts.size();
    }

    /** Bytes of cached script bodies (INFO used_memory_scripts). */
    public long cachedBytes() {
        long n = 0;
        for (Script s : scripts.values()) {
            n += s.body().length;
        }
        return n;
    }

    /** Bytes the Lua interpreters hold (INFO used_memory_lua). */
    public long luaMemoryBytes() {
        return executor.memoryBytes();
    }

    /** SCRIPT FLUSH. */
    public void flush() {
        scripts.clear();
        executor.flushScripts();
    }

    /** Runs a cached script; its reply goes to {@code out}. */
    public void eval(Script script, List<byte[]> keys, List<byte[]> argv, ScriptRun run, Reply out) {
        running.add(run);
        try {
            call(engine -> {
                if (!engine.hasScript(script.sha())) {
                    String error = engine.compile(script.sha(), script.body());
                    if (error != null) {
                        out.error(error);
                        return null;
                    }
                }
                engine.eval(script.sha(), keys, argv, run, out);
                return null;
            });
        } finally {
            running.remove(run);
        }
    }

    /** Runs a registered function (FCALL); its reply goes to {@code out}. */
    public void fcall(String name, List<byte[]> keys, List<byte[]> argv, ScriptRun run, Reply out) {
        running.add(run);
        try {
            call(engine -> {
                engine.fcall(functions, name, keys, argv, run, out);
                return null;
            });
        } finally {
            running.remove(run);
        }
    }

    /** FUNCTION LOAD's checks: runs the code and answers the library it would add (see {@link FunctionRegistry#prepare}). */
    public FunctionRegistry.Library prepareLibrary(byte[] code, boolean replace) throws LibraryException {
        return prepareLibrary(functions, code, replace);
    }

    /** As {@link #prepareLibrary(byte[], boolean)}, checked against another registry (FUNCTION RESTORE's scratch one). */
    public FunctionRegistry.Library prepareLibrary(FunctionRegistry registry, byte[] code, boolean replace)
            throws LibraryException {
        try {
            return executor.call(engine -> registry.prepare(engine, code, replace));
        } catch (LibraryException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Loads stored libraries at startup (as Kvrocks stored them); a library that no longer loads is skipped and answered. */
    public List<String> restore(List<ScriptStore.StoredLibrary> stored) {
        List<String> refused = new ArrayList<>();
        for (ScriptStore.StoredLibrary s : stored) {
            try {
                functions.put(prepareLibrary(s.code(), true));
            } catch (LibraryException e) {
                refused.add(s.name() + ": " + e.getMessage());
            }
        }
        return refused;
    }

    /** The runs in progress. */
    public List<ScriptRun> running() {
        return new ArrayList<>(running);
    }

    /** The oldest run that has gone on for at least {@code thresholdMs}, or null. */
    public ScriptRun busy(long thresholdMs) {
        ScriptRun oldest = null;
        for (ScriptRun r : running) {
            if (r.elapsedMillis() >= thresholdMs && (oldest == null || r.elapsedMillis() > oldest.elapsedMillis())) {
                oldest = r;
            }
        }
        return oldest;
    }

    private <T> T call(ScriptExecutor.Task<T> task) {
        try {
            return executor.call(task);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        executor.close();
    }
}
