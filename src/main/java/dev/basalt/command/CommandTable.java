package dev.basalt.command;

import dev.basalt.protocol.ErrorReply;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Every command Basalt knows, each declared once by its group's file. */
public final class CommandTable {
    private final Map<String, CommandSpec> commands = new TreeMap<>();

    /** The table with every command group registered, each given the services it uses. */
    public static CommandTable standard(Services s) {
        CommandTable t = new CommandTable();
        ConnectionCommands.register(t, s.config());
        ClientCommands.register(t, s.clients(), s.pause(), s.tracking());
        TransactionCommands.register(t, s.keyEvents());
        ServerCommands.register(t, s.storage(), s.control());
        InfoCommands.register(t, s);
        ConfigCommands.register(t, s.config(), s.stats());
        NamespaceCommands.register(t, new NamespaceStore(s.config(), s.storage()), s.config());
        BackupCommands.register(t, s.jobs());
        InsightCommands.register(t, s.storage(), s.jobs(), s.perfLog());
        StringCommands.register(t, s.config());
        HashCommands.register(t, s.cursors());
        KeyCommands.register(t, s.storage(), s.cursors(), s.keyEvents());
        DumpCommands.register(t, s.config(), s.storage(), s.keyEvents());
        SetCommands.register(t, s.cursors());
        SortCommands.register(t);
        ZSetCommands.register(t, s.cursors());
        ListCommands.register(t);
        BitmapCommands.register(t, s.config());
        HyperLogLogCommands.register(t);
        SortedIntCommands.register(t);
        GeoCommands.register(t);
        StreamCommands.register(t);
        StreamGroupCommands.register(t);
        PubSubCommands.register(t, s.pubsub());
        ResetCommand.register(t, s);
        OperatorCommands.register(t, s.slowLog(), s.monitors());
        ScriptCommands.register(t, s.scripting(), s.storage(), s.stats(), s.notifications(), s.monitors());
        return t;
    }

    public void add(CommandSpec.Builder b) {
        CommandSpec spec = b.build();
        if (commands.putIfAbsent(spec.name(), spec) != null) {
            throw new IllegalStateException("command declared twice: " + spec.name());
        }
    }

    /**
     * rename-command: the command answers to newName from now on ("" disables it). As in Redis, errors
     * and statistics keep its original name.
     */
    public void rename(String oldName, String newName) {
        CommandSpec spec = commands.remove(oldName.toLowerCase(Locale.ROOT));
        if (spec == null) {
            throw new IllegalArgumentException("rename-command: no such command '" + oldName + "'");
        }
        if (!newName.isEmpty() && commands.putIfAbsent(newName.toLowerCase(Locale.ROOT), spec) != null) {
            throw new IllegalArgumentException("rename-command: '" + newName + "' is already a command");
        }
    }

    public CommandSpec get(String lowerName) {
        return commands.get(lowerName);
    }

    public Collection<CommandSpec> all() {
        return Collections.unmodifiableCollection(commands.values());
    }

    public int size() {
        return commands.size();
    }

    /**
     * Finds the spec that runs argv: the command, or its subcommand for container commands.
     * Throws Redis's unknown-command, unknown-subcommand or wrong-arity error.
     */
    public CommandSpec resolve(byte[][] argv) throws ErrorReply {
        String name = lower(argv[0]);
        CommandSpec spec = commands.get(name);
        if (spec == null) {
            throw new ErrorReply(unknownCommand(argv));
        }
        if (!spec.subcommands().isEmpty() && argv.length >= 2) {
            CommandSpec sub = spec.subcommand(lower(argv[1]));
            if (sub == null) {
                throw new ErrorReply("ERR unknown subcommand '" + truncate(str(argv[1]), 128)
                        + "'. Try " + spec.name().toUpperCase(Locale.ROOT) + " HELP.");
            }
            spec = sub;
        }
        if (!spec.arityMatches(argv.length)) {
            throw ErrorReply.wrongArgs(spec.fullName());
        }
        return spec;
    }

    static String unknownCommand(byte[][] argv) {
        StringBuilder args = new StringBuilder();
        for (int i = 1; i < argv.length && args.length() < 128; i++) {
            args.append('\'').append(truncate(str(argv[i]), 128 - args.length())).append("' ");
        }
        return "ERR unknown command '" + truncate(str(argv[0]), 128) + "', with args beginning with: " + args;
    }

    public static String lower(byte[] b) {
        return new String(b, StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
    }

    private static String str(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, Math.max(0, max));
    }
}
