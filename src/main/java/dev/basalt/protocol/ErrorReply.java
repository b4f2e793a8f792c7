package dev.basalt.protocol;

/**
 * A command failed: the client gets this error (text starts with its code, e.g. "ERR ..." or
 * "WRONGTYPE ...") and the command's own writes are dropped.
 */
public class ErrorReply extends Exception {
    public ErrorReply(String errorText) {
        super(errorText, null, false, false);
    }

    public static final String SYNTAX = "ERR syntax error";
    public static final String NOT_INTEGER = "ERR value is not an integer or out of range";
    public static final String NOT_FLOAT = "ERR value is not a valid float";
    public static final String WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";

    public static ErrorReply syntax() {
        return new ErrorReply(SYNTAX);
    }

    public static ErrorReply notInteger() {
        return new ErrorReply(NOT_INTEGER);
    }

    public static ErrorReply notFloat() {
        return new ErrorReply(NOT_FLOAT);
    }

    public static ErrorReply wrongType() {
        return new ErrorReply(WRONGTYPE);
    }

    /**
     * Redis's addReplySubcommandSyntaxError: a container's subcommand given wrong arguments it checks
     * itself, e.g. "Try XGROUP HELP."; subcommand as the client spelled it (at most 128 characters).
     */
    public static ErrorReply subcommandSyntax(String container, String subcommand) {
        String sub = subcommand.length() > 128 ? subcommand.substring(0, 128) : subcommand;
        return new ErrorReply("ERR unknown subcommand or wrong number of arguments for '" + sub + "'. Try "
                + container.toUpperCase(java.util.Locale.ROOT) + " HELP.");
    }

    public static ErrorReply wrongArgs(String fullName) {
        return new ErrorReply("ERR wrong number of arguments for '" + fullName + "' command");
    }
}
