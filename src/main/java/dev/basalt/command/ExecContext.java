package dev.basalt.command;

import dev.basalt.protocol.Reply;
import dev.basalt.storage.Txn;
import java.util.List;
import java.util.function.Consumer;

/**
 * What a handler sees of one call: its client, where to write the reply, and the storage Txn its
 * reads and writes go through (one per command, or shared by every command of an EXEC or a pipelined
 * burst). The execution layer provides it.
 */
public abstract class ExecContext {
    public abstract ClientSession client();

    public abstract Reply out();

    /** The Txn for this command, begun on first use in the client's namespace. */
    public abstract Txn txn();

    /** True inside EXEC (and wherever a command must answer at once): blocking commands must not wait. */
    public abstract boolean inExec();

    /**
     * True when a blocking command runs again after it asked to wait (it is queued on its keys). Redis
     * serves such a client from the keys that hold the right type and ignores the others, where a first
     * run answers WRONGTYPE for the first key of another type.
     */
    public abstract boolean woken();

    /**
     * For a command that commits work of its own apart from its Txn (RDB LOAD's batches): called after
     * each such commit, once that commit's key locks are released, with the metadata keys it wrote
     * ({@link Txn#touchedKeys()}), so that clients blocked on them are served as after any commit. The
     * command tells WATCHers itself, under its locks. Nothing happens where no client can be blocked.
     */
    public void committedApart(List<byte[]> touchedMetadataKeys) {
    }

    /**
     * A keyspace event on a key of this call's namespace, published after the commit (never when the
     * command or its commit fails); with notifications off it costs a flag check.
     */
    public abstract void notify(int type, String event, byte[] key);

    /**
     * For a blocking command that found nothing: the exception to throw so that the dispatcher parks
     * the client on keys until they are written or timeoutMillis (0 = forever) passes, when
     * timeoutReply answers. Inside EXEC, commands must answer at once instead (see {@link #inExec()}).
     */
    public BlockRequest block(List<byte[]> keys, long timeoutMillis, Consumer<Reply> timeoutReply) {
        return new BlockRequest(keys, timeoutMillis, timeoutReply, null, false);
    }

    /**
     * As {@link #block(List, long, Consumer)}, for a command that runs again with argvWhenWoken (XREAD's
     * {@code $} becomes the ID it stood for when the client blocked) and, when wokenByDeletion, also when
     * one of the keys is deleted (XREADGROUP then answers an error, as Redis does).
     */
    public BlockRequest block(List<byte[]> keys, long timeoutMillis, Consumer<Reply> timeoutReply,
            byte[][] argvWhenWoken, boolean wokenByDeletion) {
        return new BlockRequest(keys, timeoutMillis, timeoutReply, argvWhenWoken, wokenByDeletion);
    }
}
