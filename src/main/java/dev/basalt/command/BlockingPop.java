package dev.basalt.command;

import dev.basalt.protocol.ErrorReply;
import dev.basalt.protocol.Reply;
import dev.basalt.storage.StorageException;
import java.util.List;
import java.util.function.Consumer;

/**
 * "Serve from the first key that can, or block": the one mechanism behind every blocking pop (BLPOP,
 * BRPOP, BLMPOP, BLMOVE, BRPOPLPUSH, BZPOPMIN, BZPOPMAX, BZMPOP) and their non-blocking forms (LMPOP,
 * ZMPOP). A client woken after blocking passes over keys of another type, as Redis serves it from the
 * keys that hold the right kind of value where a first run answers WRONGTYPE.
 */
final class BlockingPop {
    private BlockingPop() {
    }

    /** Where the command pops from. */
    interface Source {
        /** True when the key holds the type this command pops. */
        boolean holdsType(byte[] key) throws StorageException;

        /** Pops from the key and writes the reply when it has something; false when it is empty. */
        boolean serve(byte[] key) throws ErrorReply, StorageException;
    }

    /**
     * @param timeoutMillis -1 for a non-blocking form, else how long to block (0 = for ever)
     * @param empty the reply when nothing can be served and the command answers at once (a
     *     non-blocking form, or inside EXEC)
     * @param timedOut the reply when a blocked client's time runs out
     */
    static void run(ExecContext ctx, List<byte[]> keys, long timeoutMillis, Consumer<Reply> empty,
            Consumer<Reply> timedOut, Source source) throws ErrorReply, StorageException {
        for (byte[] key : keys) {
            if (ctx.woken() && !source.holdsType(key)) {
                continue;
            }
            if (source.serve(key)) {
                return;
            }
        }
        if (timeoutMillis < 0 || ctx.inExec()) {
            empty.accept(ctx.out());
            return;
        }
        throw ctx.block(keys, timeoutMillis, timedOut);
    }
}
