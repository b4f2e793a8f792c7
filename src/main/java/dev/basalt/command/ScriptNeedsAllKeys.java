package dev.basalt.command;

import dev.basalt.protocol.ErrorReply;

/**
 * Thrown by EVAL or FCALL when the script touched a key it did not declare (or the whole keyspace):
 * it ran under its declared keys' locks only, so the dispatcher discards its writes (nothing of them
 * was applied) and runs it again holding every key. Never reaches a client.
 */
public final class ScriptNeedsAllKeys extends ErrorReply {
    private static final long serialVersionUID = 1L;

    /** Set by the dispatcher while a script runs holding every key (then any key may be touched). */
    public static final ThreadLocal<Boolean> HOLDING_ALL = ThreadLocal.withInitial(() -> false);

    public ScriptNeedsAllKeys() {
        super("ERR script touched a key it did not declare");
    }
}
