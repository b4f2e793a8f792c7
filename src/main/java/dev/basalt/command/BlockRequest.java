package dev.basalt.command;

import dev.basalt.protocol.RespWriter;
import dev.basalt.util.Bytes;
import java.math.BigDecimal;
import java.util.List;
import java.util.function.Consumer;

/**
 * Thrown by a blocking command (BLPOP...) that found nothing to serve: the dispatcher releases its
 * locks, parks the client until one of the keys is written (or the timeout passes, or the client
 * leaves), then runs the command again. Never thrown inside EXEC, where blocking commands answer at once.
 */
public final class BlockRequest extends CommandException {
    private final List<byte[]> keys;
    private final long timeoutMillis;
    private final Consumer<RespWriter> timeoutReply;

    BlockRequest(List<byte[]> keys, long timeoutMillis, Consumer<RespWriter> timeoutReply) {
        super("ERR blocked");
        this.keys = keys;
        this.timeoutMillis = timeoutMillis;
        this.timeoutReply = timeoutReply;
    }

    public List<byte[]> keys() {
        return keys;
    }

    /** 0 waits forever. */
    public long timeoutMillis() {
        return timeoutMillis;
    }

    public Consumer<RespWriter> timeoutReply() {
        return timeoutReply;
    }

    /** A blocking timeout argument in seconds (fractions allowed), as milliseconds; Redis's errors. */
    public static long parseTimeoutSeconds(byte[] arg) throws CommandException {
        double seconds;
        try {
            String s = Bytes.str(arg);
            if (s.isEmpty() || Character.isWhitespace(s.charAt(0)) || s.endsWith(" ")) {
                throw new NumberFormatException();
            }
            seconds = new BigDecimal(s).doubleValue();
        } catch (NumberFormatException e) {
            throw new CommandException("ERR timeout is not a float or out of range");
        }
        if (seconds < 0) {
            throw new CommandException("ERR timeout is negative");
        }
        double ms = seconds * 1000;
        if (ms > Long.MAX_VALUE / 2) {
            throw new CommandException("ERR timeout is out of range");
        }
        return (long) Math.ceil(ms);
    }
}
