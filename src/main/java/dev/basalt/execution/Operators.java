package dev.basalt.execution;

import dev.basalt.command.ClientPause;
import dev.basalt.command.ClientSession;
import dev.basalt.command.CommandFlag;
import dev.basalt.command.CommandSpec;
import dev.basalt.command.Monitors;
import dev.basalt.command.SlowLog;

/**
 * The dispatcher's hooks for operators: each command run goes to SLOWLOG and MONITOR, and CLIENT
 * PAUSE holds commands before they run. Each costs a volatile read or two when unused.
 */
final class Operators {
    private final SlowLog slowLog;
    private final Monitors monitors;
    private final ClientPause pause;

    Operators(SlowLog slowLog, Monitors monitors, ClientPause pause) {
        this.slowLog = slowLog;
        this.monitors = monitors;
        this.pause = pause;
    }

    /** A command ran (whatever its reply): SLOWLOG if slow, and MONITOR unless it is an admin command, as in Redis. */
    void ran(ClientSession client, CommandSpec spec, byte[][] argv, long micros) {
        if (!spec.isTransactionExec()) {
            slowLog.record(client, argv, micros);
        }
        if (monitors.any() && !spec.has(CommandFlag.ADMIN) && !spec.has(CommandFlag.SKIP_MONITOR)) {
            monitors.feed(client, argv);
        }
    }

    /** A script starts: MONITOR shows it before the commands it calls, as Redis does. */
    void scriptStarting(ClientSession client, byte[][] argv) {
        if (monitors.any()) {
            monitors.feed(client, argv);
        }
    }

    /** True while a CLIENT PAUSE lasts: a pipelined burst stops gathering, so each command waits its turn. */
    boolean pauseActive() {
        return pause.active();
    }

    /** Waits while CLIENT PAUSE holds this command (ALL: any; WRITE: writes, PUBLISH, an EXEC with writes). */
    void awaitPause(ClientSession client, CommandSpec spec) {
        if (!pause.active()) {
            return;
        }
        boolean writes = spec.isTransactionExec() ? client.queuedAnyWrite()
                : spec.has(CommandFlag.WRITE) || spec.name().endsWith("publish");
        if (!pause.holds(writes)) {
            return;
        }
        client.setBlocked(true);
        try {
            pause.await(writes);
        } finally {
            client.setBlocked(false);
        }
    }

    /** The client's connection ended or it ran RESET: it stops monitoring. */
    void clientReset(ClientSession client) {
        monitors.remove(client);
    }
}
