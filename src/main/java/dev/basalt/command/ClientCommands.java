package dev.basalt.command;

/** CLIENT and its subcommands. */
final class ClientCommands {
    private ClientCommands() {
    }

    static void register(CommandTable t) {
    }

    /** Redis refuses client names with spaces, newlines or other special characters. */
    static void validateName(String name) throws CommandException {
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            if (ch < '!' || ch > '~') {
                throw new CommandException("ERR Client names cannot contain spaces, newlines or special characters.");
            }
        }
    }
}
