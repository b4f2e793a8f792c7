package dev.basalt.command;

import dev.basalt.config.Config;
import dev.basalt.protocol.RespWriter;
import dev.basalt.server.ClientSession;
import dev.basalt.server.Server;
import dev.basalt.storage.Txn;

/**
 * What a handler sees: the server, its client, where to write the reply, and the storage Txn its
 * reads and writes go through (one per command, or shared by every command of an EXEC).
 */
public final class ExecContext {
    private final Server server;
    private final ClientSession client;
    private final RespWriter out;
    private final boolean inExec;
    private final boolean woken;
    private Txn txn;

    ExecContext(Server server, ClientSession client, RespWriter out, Txn txn, boolean inExec) {
        this(server, client, out, txn, inExec, false);
    }

    ExecContext(Server server, ClientSession client, RespWriter out, Txn txn, boolean inExec, boolean woken) {
        this.server = server;
        this.client = client;
        this.out = out;
        this.txn = txn;
        this.inExec = inExec;
        this.woken = woken;
    }

    public Server server() {
        return server;
    }

    public Config config() {
        return server.config();
    }

    public ClientSession client() {
        return client;
    }

    public RespWriter out() {
        return out;
    }

    /**
     * True when a blocking command runs again after it asked to wait (it is queued on its keys). Redis
     * serves such a client from the keys that hold the right type and ignores the others, where a first
     * run answers WRONGTYPE for the first key of another type.
     */
    public boolean woken() {
        return woken;
    }

    /** True inside EXEC: blocking commands must not wait. */
    public boolean inExec() {
        return inExec;
    }

    /** The Txn for this command, begun on first use in the client's namespace. */
    public Txn txn() {
        if (txn == null) {
            txn = server.storage().begin(client.namespace());
        }
        return txn;
    }

    /**
     * For a blocking command that found nothing: the exception to throw so that the dispatcher parks
     * the client on keys until they are written or timeoutMillis (0 = forever) passes, when
     * timeoutReply answers. Inside EXEC, commands must answer at once instead (see {@link #inExec()}).
     */
    public BlockRequest block(java.util.List<byte[]> keys, long timeoutMillis,
            java.util.function.Consumer<dev.basalt.protocol.RespWriter> timeoutReply) {
        return new BlockRequest(keys, timeoutMillis, timeoutReply);
    }

    Txn txnIfStarted() {
        return txn;
    }
}
