package dev.basalt.command;

import dev.basalt.config.Config;
import dev.basalt.scripting.Scripting;
import dev.basalt.storage.Storage;

/**
 * The server-wide services command groups are built with; each group takes the ones it uses when it
 * registers its commands. Per-call state (the client, the reply, the Txn) comes with the {@link ExecContext}.
 */
public record Services(Config config, Storage storage, ServerStats stats, KeyEvents keyEvents, ScanCursors cursors,
        ClientDirectory clients, ServerControl control, DbJobs jobs, PubSub pubsub,
        KeyspaceNotifications notifications, SlowLog slowLog, Monitors monitors, ClientPause pause,
        ClientTracking tracking, PerfLog perfLog, Scripting scripting) {
}
