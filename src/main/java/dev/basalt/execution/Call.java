package dev.basalt.execution;

import dev.basalt.command.ClientSession;
import dev.basalt.command.ExecContext;
import dev.basalt.command.PendingEvents;
import dev.basalt.protocol.Reply;
import dev.basalt.storage.Storage;
import dev.basalt.storage.Txn;
import java.util.List;
import java.util.function.Consumer;

/** One command's run: its client, its reply, and the Txn it reads and writes through. */
final class Call extends ExecContext {
    private final Storage storage;
    private final ClientSession client;
    private final Reply out;
    private final boolean inExec;
    private final boolean woken;
    private final PendingEvents events;
    private Txn txn;
    private Consumer<List<byte[]>> afterApartCommit = touched -> { };

    Call(Storage storage, ClientSession client, Reply out, Txn txn, boolean inExec, boolean woken, PendingEvents events) {
        this.storage = storage;
        this.events = events;
        this.client = client;
        this.out = out;
        this.txn = txn;
        this.inExec = inExec;
        this.woken = woken;
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
    public boolean inExec() {
        return inExec;
    }

    @Override
    public boolean woken() {
        return woken;
    }

    @Override
    public Txn txn() {
        if (txn == null) {
            txn = storage.begin(client.namespace());
        }
        return txn;
    }

    /** What follows a commit the command made apart from its Txn (see {@link ExecContext#committedApart}). */
    void onApartCommit(Consumer<List<byte[]>> action) {
        this.afterApartCommit = action;
    }

    @Override
    public void committedApart(List<byte[]> touchedMetadataKeys) {
        afterApartCommit.accept(touchedMetadataKeys);
    }

    @Override
    public void notify(int type, String event, byte[] key) {
        events.add(type, event, client.namespace(), key);
    }

    /** The keyspace events gathered in this call's Txn, published after its commit. */
    PendingEvents events() {
        return events;
    }

    Txn txnIfStarted() {
        return txn;
    }
}
