package dev.basalt.command;

import dev.basalt.protocol.ErrorReply;
import dev.basalt.storage.StorageException;

/** Runs one command whose arity, auth and locks the dispatcher has already checked. */
@FunctionalInterface
public interface CommandHandler {
    /** A StorageException answers "ERR <RocksDB status>" and drops the command's writes. */
    void execute(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException;
}
