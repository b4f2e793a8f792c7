package dev.basalt.command;

import dev.basalt.util.RedisNumbers;

/** Argument parsing shared by every command group, with Redis's rules and error texts. */
final class Arguments {
    private Arguments() {
    }

    /** A 64-bit integer argument (Redis's string2ll rules), else "ERR value is not an integer or out of range". */
    static long integer(byte[] arg) throws CommandException {
        if (!RedisNumbers.isLong(arg)) {
            throw CommandException.notInteger();
        }
        return RedisNumbers.parseLong(arg);
    }
}
