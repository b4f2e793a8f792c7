package dev.basalt.execution;

import dev.basalt.command.ClientSession;
import dev.basalt.command.ClientTracking;
import dev.basalt.command.CommandFlag;
import dev.basalt.command.CommandSpec;
import dev.basalt.protocol.ErrorReply;
import dev.basalt.storage.Txn;
import java.util.List;

/**
 * The dispatcher's side of CLIENT TRACKING: a tracking client's reads are remembered before they run
 * and again after (so a write committing in between invalidates, and the key stays tracked), and each
 * commit invalidates the keys it wrote. A tracking client's commands run one at a time, never in a
 * shared burst, so each read's snapshot starts after its keys were remembered.
 */
final class ReadTracking {
    private final ClientTracking tracking;

    ReadTracking(ClientTracking tracking) {
        this.tracking = tracking;
    }

    /** Before any client's command, as in Redis: a table over tracking-table-max-keys evicts some keys. */
    void limitKeys() {
        if (tracking.any()) {
            tracking.limitKeys();
        }
    }

    void beforeCommand(ClientSession client, CommandSpec spec, byte[][] argv) {
        if (client.tracking() != null && spec.has(CommandFlag.READONLY)) {
            tracking.remember(client, keys(spec, argv));
        }
    }

    void afterCommand(ClientSession client, CommandSpec spec, byte[][] argv) {
        if (client.tracking() == null) {
            return;
        }
        if (spec.has(CommandFlag.READONLY)) {
            tracking.remember(client, keys(spec, argv));
        }
        // As in Redis, CLIENT CACHING's choice survives CLIENT commands and lasts through a MULTI block.
        tracking.commandDone(client, spec.fullName().startsWith("client|") || client.inMulti());
    }

    /** After a commit (still under its locks): the written keys are invalidated; a wiped keyspace drops every cache. */
    void committed(Txn txn, ClientSession writer) {
        if (!tracking.any()) {
            return;
        }
        if (txn.wiped()) {
            tracking.flushed(); // every cache is dropped: the keys written after the wipe were never read since
            return;
        }
        tracking.invalidate(txn.touchedKeys(), writer);
    }

    void clientGone(ClientSession client) {
        tracking.disable(client);
    }

    private static List<byte[]> keys(CommandSpec spec, byte[][] argv) {
        try {
            return spec.keys(argv);
        } catch (ErrorReply e) {
            return List.of();
        }
    }
}
