package dev.basalt.scripting;

import java.util.List;

/**
 * One execution of a script or function: who it calls through, what it may do, when it started, and
 * whether SCRIPT KILL / FUNCTION KILL asked it to stop (the Lua hook polls that).
 */
public final class ScriptRun {
    private final ScriptHost host;
    private final boolean readOnly;
    private final String name;
    private final boolean function;
    private final long startNanos = System.nanoTime();
    private volatile String killMessage;
    private int protocol = 2;
    private volatile List<byte[]> command = List.of();

    /**
     * @param name     what error replies call it: the script's SHA1 or the function's name
     * @param function an FCALL (FUNCTION KILL stops it) rather than an EVAL (SCRIPT KILL)
     */
    public ScriptRun(ScriptHost host, boolean readOnly, String name, boolean function) {
        this.host = host;
        this.readOnly = readOnly;
        this.name = name;
        this.function = function;
    }

    public ScriptHost host() {
        return host;
    }

    public boolean readOnly() {
        return readOnly;
    }

    public String name() {
        return name;
    }

    public boolean isFunction() {
        return function;
    }

    /** The command that started the run (FUNCTION STATS shows it). */
    public List<byte[]> command() {
        return command;
    }

    public void setCommand(List<byte[]> command) {
        this.command = command;
    }

    public long elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /** Asks the script to stop at its next hook check; its redis.call writes are the caller's to discard. */
    public void kill() {
        killMessage = ScriptErrors.KILLED;
    }

    public boolean killed() {
        return killMessage != null;
    }

    String killMessage() {
        return killMessage;
    }

    /** The protocol redis.call replies are shaped for (redis.setresp). */
    int protocol() {
        return protocol;
    }

    void setProtocol(int protocol) {
        this.protocol = protocol;
    }
}
