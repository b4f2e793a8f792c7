package dev.basalt.scripting;

import dev.basalt.protocol.ReplyValue;
import java.util.List;

/**
 * What a running script reaches outside Lua: {@code redis.call}/{@code redis.pcall} and {@code redis.log}.
 * The execution layer implements it (commands go into the script's batch); tests implement it with a map.
 */
public interface ScriptHost {
    /**
     * Runs one command for the script and returns its reply, an error reply included (its text as
     * Redis writes it, e.g. "WRONGTYPE ..." or {@link ScriptErrors#NOT_ALLOWED}).
     *
     * @param argv     the command and its arguments
     * @param protocol 2 or 3, as the script chose with {@code redis.setresp}
     * @param readOnly the script may not write (EVAL_RO, FCALL_RO, or a {@code no-writes} flag)
     */
    ReplyValue call(List<byte[]> argv, int protocol, boolean readOnly);

    /** Whether a command by this name exists (redis.acl_check_cmd). */
    boolean commandExists(byte[] name);

    /** {@code redis.log(level, message)}; level is one of {@link ScriptErrors}' LOG_ levels (0..3). */
    void log(int level, String message);
}
