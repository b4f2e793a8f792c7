package dev.basalt.command;

import dev.basalt.protocol.ErrorReply;
import dev.basalt.util.RedisNumbers;

/** Argument parsing shared by every command group, with Redis's rules and error texts. */
final class Arguments {
    private Arguments() {
    }

    /** A 64-bit integer argument (Redis's string2ll rules), else "ERR value is not an integer or out of range". */
    static long integer(byte[] arg) throws ErrorReply {
        if (!RedisNumbers.isLong(arg)) {
            throw ErrorReply.notInteger();
        }
        return RedisNumbers.parseLong(arg);
    }
}
