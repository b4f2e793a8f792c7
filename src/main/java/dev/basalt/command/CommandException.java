package dev.basalt.command;

/**
 * A command failed: the client gets this error (text starts with its code, e.g. "ERR ..." or
 * "WRONGTYPE ...") and the command's own writes are dropped.
 */
public class CommandException extends Exception {
    public CommandException(String errorText) {
        super(errorText, null, false, false);
    }

    public static final String SYNTAX = "ERR syntax error";
    public static final String NOT_INTEGER = "ERR value is not an integer or out of range";
    public static final String NOT_FLOAT = "ERR value is not a valid float";
    public static final String WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";

    public static CommandException syntax() {
        return new CommandException(SYNTAX);
    }

    public static CommandException notInteger() {
        return new CommandException(NOT_INTEGER);
    }

    public static CommandException notFloat() {
        return new CommandException(NOT_FLOAT);
    }

    public static CommandException wrongType() {
        return new CommandException(WRONGTYPE);
    }

    public static CommandException wrongArgs(String fullName) {
        return new CommandException("ERR wrong number of arguments for '" + fullName + "' command");
    }
}
