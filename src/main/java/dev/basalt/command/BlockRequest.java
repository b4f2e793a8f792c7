package dev.basalt.command;

import dev.basalt.protocol.ErrorReply;
import dev.basalt.protocol.Reply;
import dev.basalt.util.LongDouble;
import java.util.List;
import java.util.function.Consumer;

/**
 * Thrown by a blocking command (BLPOP...) that found nothing to serve: the dispatcher releases its
 * locks, parks the client until one of the keys is written (or the timeout passes, or the client
 * leaves), then runs the command again. Never thrown inside EXEC, where blocking commands answer at once.
 */
public final class BlockRequest extends ErrorReply {
    private final List<byte[]> keys;
    private final long timeoutMillis;
    private final Consumer<Reply> timeoutReply;
    private final byte[][] argvWhenWoken;
    private final boolean wokenByDeletion;

    BlockRequest(List<byte[]> keys, long timeoutMillis, Consumer<Reply> timeoutReply, byte[][] argvWhenWoken,
            boolean wokenByDeletion) {
        super("ERR blocked");
        this.keys = keys;
        this.timeoutMillis = timeoutMillis;
        this.timeoutReply = timeoutReply;
        this.argvWhenWoken = argvWhenWoken;
        this.wokenByDeletion = wokenByDeletion;
    }

    public List<byte[]> keys() {
        return keys;
    }

    /** 0 waits forever. */
    public long timeoutMillis() {
        return timeoutMillis;
    }

    public Consumer<Reply> timeoutReply() {
        return timeoutReply;
    }

    /** The arguments to run the command with when woken; null for its own. */
    public byte[][] argvWhenWoken() {
        return argvWhenWoken;
    }

    /** The command must also run when a key it waits on is deleted (it answers something then). */
    public boolean wokenByDeletion() {
        return wokenByDeletion;
    }

    /**
     * A blocking timeout argument in seconds, as milliseconds, the way Redis 7.0 reads it: the
     * argument is a C long double (string2ld: see {@link LongDouble#parse}), and the milliseconds are
     * {@code (long long) ceill(seconds * 1000.0)} in long double arithmetic; a product outside the
     * 64-bit range converts to LLONG_MIN, hence "timeout is negative" for inf and huge values, while
     * tiny negative values round to 0 (wait forever).
     */
    public static long parseTimeoutSeconds(byte[] arg) throws ErrorReply {
        LongDouble seconds = LongDouble.parse(arg);
        if (seconds == null) {
            throw new ErrorReply("ERR timeout is not a float or out of range");
        }
        long ms = seconds.multiply(THOUSAND).ceilToLong();
        if (ms < 0) {
            throw new ErrorReply("ERR timeout is negative");
        }
        return ms;
    }

    private static final LongDouble THOUSAND = LongDouble.parse("1000");
}
