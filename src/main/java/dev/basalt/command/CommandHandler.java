package dev.basalt.command;

/** Runs one command whose arity, auth and locks the dispatcher has already checked. */
@FunctionalInterface
public interface CommandHandler {
    void execute(ExecContext ctx, byte[][] argv) throws CommandException;
}
