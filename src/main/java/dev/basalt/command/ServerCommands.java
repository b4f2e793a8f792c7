package dev.basalt.command;

import static dev.basalt.command.CommandFlag.ADMIN;
import static dev.basalt.command.CommandFlag.FAST;
import static dev.basalt.command.CommandFlag.LOADING;
import static dev.basalt.command.CommandFlag.NOSCRIPT;
import static dev.basalt.command.CommandFlag.NO_MULTI;
import static dev.basalt.command.CommandFlag.STALE;
import static dev.basalt.command.CommandSpec.command;

import dev.basalt.protocol.ErrorReply;
import dev.basalt.protocol.Reply;
import dev.basalt.storage.Storage;
import dev.basalt.storage.StorageException;
import dev.basalt.util.Bytes;
import dev.basalt.util.Glob;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Server administration: TIME, SHUTDOWN, DEBUG, and COMMAND (introspection of the command table). */
final class ServerCommands {
    private ServerCommands() {
    }

    static void register(CommandTable t, Storage storage, ServerControl control) {
        t.add(command("time", 1).flags(LOADING, STALE, FAST).group("server").since("2.6.0")
                .summary("Returns the server time.").handler((ctx, argv) -> {
                    long micros = System.currentTimeMillis() * 1000 + (System.nanoTime() / 1000) % 1000;
                    ctx.out().arrayHeader(2);
                    ctx.out().bulk(Long.toString(micros / 1_000_000));
                    ctx.out().bulk(Long.toString(micros % 1_000_000));
                }));
        t.add(command("shutdown", -1).flags(ADMIN, NOSCRIPT, LOADING, STALE, NO_MULTI).group("server")
                .summary("Synchronously saves the database(s) to disk and shuts down the Redis server.")
                .handler((ctx, argv) -> shutdown(ctx, argv, control)));
        t.add(command("debug", -2).flags(ADMIN, NOSCRIPT, LOADING, STALE).group("server")
                .summary("A container for debugging commands.").handler((ctx, argv) -> debug(ctx, argv, storage)));
        t.add(command("command", -1).flags(LOADING, STALE).group("server").since("2.8.13")
                .summary("Returns detailed information about all commands.").handler((ctx, argv) -> commandAll(ctx, argv, t))
                .subcommand(command("count", 2).flags(LOADING, STALE).since("2.8.13")
                        .summary("Returns a count of commands.")
                        .handler((ctx, argv) -> ctx.out().integer(t.size())))
                .subcommand(command("info", -2).flags(LOADING, STALE).since("2.8.13")
                        .summary("Returns information about one, multiple or all commands.")
                        .handler((ctx, argv) -> commandInfo(ctx, argv, t)))
                .subcommand(command("list", -2).flags(LOADING, STALE).since("7.0.0")
                        .summary("Returns a list of command names.").handler((ctx, argv) -> commandList(ctx, argv, t)))
                .subcommand(command("getkeys", -4).flags(LOADING, STALE).since("2.8.13")
                        .summary("Extracts the key names from an arbitrary command.")
                        .handler((ctx, argv) -> commandGetKeys(ctx, argv, t)))
                .subcommand(command("docs", -2).flags(LOADING, STALE).since("7.0.0")
                        .summary("Returns documentary information about one, multiple or all commands.")
                        .handler((ctx, argv) -> commandDocs(ctx, argv, t)))
                .subcommand(command("help", 2).flags(LOADING, STALE).since("5.0.0")
                        .summary("Returns helpful text about the different subcommands.")
                        .handler((ctx, argv) -> help(ctx.out(), "COMMAND",
                                "(no subcommand)", "    Describe every command.",
                                "COUNT", "    Count the commands of this server.",
                                "LIST [FILTERBY (MODULE <name>|ACLCAT <category>|PATTERN <pattern>)]",
                                "    Name every command and subcommand, optionally only those matching the filter.",
                                "INFO [<command-name> ...]",
                                "    Describe the named commands, or every command when none is named.",
                                "DOCS [<command-name> ...]",
                                "    Document the named commands, or every command when none is named.",
                                "GETKEYS <full-command>",
                                "    Name the keys a complete command would access."))));
    }

    /**
     * A HELP reply as Redis formats it: a heading, the given lines, then the HELP entry itself.
     * Lines are {@code "SUBCOMMAND args"} followed by indented explanations.
     */
    static void help(Reply out, String container, String... lines) {
        out.arrayHeader(lines.length + 3L);
        out.simple(container + " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
        for (String line : lines) {
            out.simple(line);
        }
        out.simple("HELP");
        out.simple("    Prints this help.");
    }

    // ---- COMMAND: everything comes from the command table ----

    /** The order in which Redis 7 lists command flags; flags Basalt adds later go after these. */
    private static final List<CommandFlag> FLAG_ORDER = List.of(CommandFlag.WRITE, CommandFlag.READONLY,
            CommandFlag.ADMIN, CommandFlag.PUBSUB, CommandFlag.NOSCRIPT, CommandFlag.BLOCKING, CommandFlag.LOADING,
            CommandFlag.STALE, CommandFlag.SKIP_MONITOR, CommandFlag.FAST, CommandFlag.NO_AUTH,
            CommandFlag.NO_MANDATORY_KEYS, CommandFlag.NO_MULTI);

    /** ACL categories in Redis's order (the order COMMAND INFO prints them in). */
    private static final List<String> CATEGORY_ORDER = List.of("keyspace", "read", "write", "set", "sortedset",
            "list", "hash", "string", "bitmap", "hyperloglog", "geo", "stream", "pubsub", "admin", "fast", "slow",
            "blocking", "dangerous", "connection", "transaction", "scripting");

    /** The ACL category a command group implies (Redis declares these per command; Basalt derives them). */
    private static final Map<String, String> GROUP_CATEGORY = Map.ofEntries(Map.entry("generic", "keyspace"),
            Map.entry("string", "string"), Map.entry("list", "list"), Map.entry("set", "set"),
            Map.entry("sorted-set", "sortedset"), Map.entry("hash", "hash"), Map.entry("bitmap", "bitmap"),
            Map.entry("hyperloglog", "hyperloglog"), Map.entry("geo", "geo"), Map.entry("stream", "stream"),
            Map.entry("pubsub", "pubsub"), Map.entry("connection", "connection"),
            Map.entry("transactions", "transaction"), Map.entry("scripting", "scripting"));

    private static void commandAll(ExecContext ctx, byte[][] argv, CommandTable table) {
        Reply out = ctx.out();
        out.arrayHeader(table.size());
        for (CommandSpec spec : table.all()) {
            writeInfo(out, spec);
        }
    }

    private static void commandInfo(ExecContext ctx, byte[][] argv, CommandTable table) {
        if (argv.length == 2) {
            commandAll(ctx, argv, table);
            return;
        }
        Reply out = ctx.out();
        out.arrayHeader(argv.length - 2L);
        for (int i = 2; i < argv.length; i++) {
            CommandSpec spec = lookup(table, argv[i]);
            if (spec == null) {
                out.nullBulk();
            } else {
                writeInfo(out, spec);
            }
        }
    }

    private static void commandList(ExecContext ctx, byte[][] argv, CommandTable table) throws ErrorReply {
        String filter = null;
        byte[] value = null;
        if (argv.length == 5 && Bytes.eq(argv[2], "filterby")) {
            value = argv[4];
            if (Bytes.eq(argv[3], "module") || Bytes.eq(argv[3], "aclcat") || Bytes.eq(argv[3], "pattern")) {
                filter = CommandTable.lower(argv[3]);
            }
        }
        if (argv.length != 2 && filter == null) {
            throw ErrorReply.syntax();
        }
        List<String> names = new ArrayList<>();
        for (CommandSpec spec : table.all()) {
            addIfListed(names, spec, filter, value);
            for (CommandSpec sub : spec.subcommands().values()) {
                addIfListed(names, sub, filter, value);
            }
        }
        ctx.out().stringArray(names);
    }

    private static void addIfListed(List<String> names, CommandSpec spec, String filter, byte[] value) {
        boolean listed = filter == null || switch (filter) {
            case "module" -> false; // Basalt has no modules
            case "aclcat" -> aclCategories(spec).contains(CommandTable.lower(value));
            default -> Glob.matches(value, Bytes.of(spec.fullName()), true);
        };
        if (listed) {
            names.add(spec.fullName());
        }
    }

    private static void commandGetKeys(ExecContext ctx, byte[][] argv, CommandTable table) throws ErrorReply {
        byte[][] cmd = Arrays.copyOfRange(argv, 2, argv.length);
        CommandSpec spec = table.get(CommandTable.lower(cmd[0]));
        if (spec != null && !spec.subcommands().isEmpty() && cmd.length >= 2) {
            spec = spec.subcommand(CommandTable.lower(cmd[1]));
        }
        if (spec == null) {
            throw new ErrorReply("ERR Invalid command specified");
        }
        if (spec.firstKey() <= 0 && !spec.hasKeyExtractor()) {
            throw new ErrorReply("ERR The command has no key arguments");
        }
        if (!spec.arityMatches(cmd.length)) {
            throw new ErrorReply("ERR Invalid number of arguments specified for command");
        }
        List<byte[]> keys;
        try {
            keys = spec.keys(cmd);
        } catch (ErrorReply e) {
            keys = List.of();
        }
        if (keys.isEmpty()) {
            throw new ErrorReply("ERR Invalid arguments specified for command");
        }
        ctx.out().bulkArray(keys);
    }

    private static void commandDocs(ExecContext ctx, byte[][] argv, CommandTable table) {
        List<CommandSpec> specs = new ArrayList<>();
        if (argv.length == 2) {
            specs.addAll(table.all());
        } else {
            // Unknown names are left out, as Redis does.
            for (int i = 2; i < argv.length; i++) {
                CommandSpec spec = lookup(table, argv[i]);
                if (spec != null) {
                    specs.add(spec);
                }
            }
        }
        Reply out = ctx.out();
        out.mapHeader(specs.size());
        for (CommandSpec spec : specs) {
            out.bulk(spec.fullName());
            writeDocs(out, spec);
        }
    }

    /** A command by name, or a subcommand by its full name ("config|get"); null when unknown. */
    private static CommandSpec lookup(CommandTable table, byte[] name) {
        String lower = CommandTable.lower(name);
        int bar = lower.indexOf('|');
        if (bar < 0) {
            return table.get(lower);
        }
        CommandSpec parent = table.get(lower.substring(0, bar));
        return parent == null ? null : parent.subcommand(lower.substring(bar + 1));
    }

    /** One COMMAND INFO entry in Redis 7's ten-field shape. */
    static void writeInfo(Reply out, CommandSpec spec) {
        out.arrayHeader(10);
        out.bulk(spec.fullName());
        out.integer(spec.arity());
        List<String> flags = redisFlags(spec);
        out.setHeader(flags.size());
        for (String f : flags) {
            out.simple(f);
        }
        out.integer(spec.firstKey());
        out.integer(spec.lastKey());
        out.integer(spec.keyStep());
        List<String> categories = aclCategories(spec);
        out.setHeader(categories.size());
        for (String c : categories) {
            out.simple("@" + c);
        }
        out.setHeader(0); // tips: none
        writeKeySpecs(out, spec);
        if (spec.subcommands().isEmpty()) {
            out.setHeader(0); // Redis 7.0 answers an empty set here and an array otherwise
        } else {
            out.arrayHeader(spec.subcommands().size());
            for (CommandSpec sub : spec.subcommands().values()) {
                writeInfo(out, sub);
            }
        }
    }

    /**
     * Key specs derived from first/last/step: one index + range spec. Commands whose keys are found
     * by code (movable keys) get none, as their positions cannot be described this way.
     */
    private static void writeKeySpecs(Reply out, CommandSpec spec) {
        if (spec.firstKey() <= 0 || spec.hasKeyExtractor()) {
            out.setHeader(0);
            return;
        }
        int last = spec.lastKey();
        out.setHeader(1);
        out.mapHeader(3);
        out.bulk("flags");
        out.setHeader(1);
        out.simple(spec.has(CommandFlag.WRITE) ? "RW" : "RO");
        out.bulk("begin_search");
        out.mapHeader(2);
        out.bulk("type");
        out.bulk("index");
        out.bulk("spec");
        out.mapHeader(1);
        out.bulk("index");
        out.integer(spec.firstKey());
        out.bulk("find_keys");
        out.mapHeader(2);
        out.bulk("type");
        out.bulk("range");
        out.bulk("spec");
        out.mapHeader(3);
        out.bulk("lastkey");
        // Relative to the first key; negative values count from the end of argv, as in the legacy triple.
        out.integer(last >= 0 ? Math.max(0, last - spec.firstKey()) : last);
        out.bulk("keystep");
        out.integer(Math.max(1, spec.keyStep()));
        out.bulk("limit");
        out.integer(0);
    }

    /** COMMAND DOCS fields for one command: summary, since, group, and its subcommands' docs. */
    private static void writeDocs(Reply out, CommandSpec spec) {
        boolean hasSubs = !spec.subcommands().isEmpty();
        out.mapHeader(hasSubs ? 4 : 3);
        out.bulk("summary");
        out.bulk(spec.summary());
        out.bulk("since");
        out.bulk(spec.since());
        out.bulk("group");
        out.bulk(docGroup(spec));
        if (hasSubs) {
            out.bulk("subcommands");
            out.mapHeader(spec.subcommands().size());
            for (CommandSpec sub : spec.subcommands().values()) {
                out.bulk(sub.fullName());
                writeDocs(out, sub);
            }
        }
    }

    /** The group name as COMMAND DOCS spells it ("sorted-set", "transactions"). */
    static String docGroup(CommandSpec spec) {
        String g = spec.group().toLowerCase(Locale.ROOT);
        return switch (g) {
            case "sorted_set", "sortedset", "zset" -> "sorted-set";
            case "transaction" -> "transactions";
            default -> g;
        };
    }

    static List<String> redisFlags(CommandSpec spec) {
        List<String> flags = new ArrayList<>();
        for (CommandFlag f : FLAG_ORDER) {
            if (spec.has(f)) {
                flags.add(f.redisName());
            }
        }
        for (CommandFlag f : CommandFlag.values()) {
            if (spec.has(f) && f.redisName() != null && !FLAG_ORDER.contains(f)) {
                flags.add(f.redisName());
            }
        }
        if (spec.hasKeyExtractor()) {
            flags.add("movablekeys");
        }
        return flags;
    }

    /**
     * ACL categories derived as Redis derives its implicit ones: the group's category, read/write,
     * admin (+dangerous), pubsub, blocking, and fast or slow. Container commands only get the flag-based ones.
     */
    static List<String> aclCategories(CommandSpec spec) {
        List<String> present = new ArrayList<>();
        String groupCategory = spec.subcommands().isEmpty() ? GROUP_CATEGORY.get(docGroup(spec)) : null;
        if (groupCategory != null) {
            present.add(groupCategory);
        }
        if (spec.has(CommandFlag.WRITE)) {
            present.add("write");
        } else if (spec.has(CommandFlag.READONLY) && !"scripting".equals(groupCategory)) {
            present.add("read");
        }
        if (spec.has(CommandFlag.ADMIN)) {
            present.add("admin");
            present.add("dangerous");
        }
        if (spec.has(CommandFlag.PUBSUB)) {
            present.add("pubsub");
        }
        if (spec.has(CommandFlag.BLOCKING)) {
            present.add("blocking");
        }
        present.add(spec.has(CommandFlag.FAST) ? "fast" : "slow");
        List<String> ordered = new ArrayList<>();
        for (String c : CATEGORY_ORDER) {
            if (present.contains(c)) {
                ordered.add(c);
            }
        }
        return ordered;
    }

    private static void shutdown(ExecContext ctx, byte[][] argv, ServerControl control) throws ErrorReply {
        for (int i = 1; i < argv.length; i++) {
            if (!(Bytes.eq(argv[i], "nosave") || Bytes.eq(argv[i], "save") || Bytes.eq(argv[i], "now")
                    || Bytes.eq(argv[i], "force") || Bytes.eq(argv[i], "abort"))) {
                throw ErrorReply.syntax();
            }
        }
        // Like Redis, no reply: the connection closes once the server is stopping.
        ctx.client().setCloseAfterReply();
        control.shutdownAsync();
    }

    private static void debug(ExecContext ctx, byte[][] argv, Storage storage) throws ErrorReply {
        String sub = CommandTable.lower(argv[1]);
        switch (sub) {
            case "help" -> help(ctx.out(), "DEBUG",
                    "SLEEP <seconds>",
                    "    Keep this connection busy for <seconds> (decimals allowed); other clients go on.",
                    "WRITE-STALL <on|off>",
                    "    Pause (on) or resume (off) RocksDB's flushes and compactions, so that writes stall once",
                    "    the memtables are full: they fail with rocksdb.write_options.no_slowdown, else they wait.",
                    "FAIL-WRITES <on|off>",
                    "    Make every commit fail with an I/O error (on) until turned off.");
            case "sleep" -> {
                if (argv.length != 3) {
                    throw ErrorReply.wrongArgs("debug");
                }
                double seconds;
                try {
                    seconds = Double.parseDouble(Bytes.str(argv[2]));
                } catch (NumberFormatException e) {
                    throw ErrorReply.notFloat();
                }
                try {
                    Thread.sleep((long) (seconds * 1000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                ctx.out().ok();
            }
            case "write-stall" -> {
                boolean on = onOff(argv);
                try {
                    storage.setWriteStall(on);
                } catch (StorageException e) {
                    throw new ErrorReply("ERR " + e.getMessage());
                }
                ctx.out().ok();
            }
            case "fail-writes" -> {
                // Test seam: every commit fails with an I/O error until "off".
                storage.injectWriteFailure(onOff(argv) ? "IO error: injected by DEBUG FAIL-WRITES" : null);
                ctx.out().ok();
            }
            default -> throw new ErrorReply("ERR unknown subcommand '" + Bytes.str(argv[1]) + "'. Try DEBUG HELP.");
        }
    }

    private static boolean onOff(byte[][] argv) throws ErrorReply {
        if (argv.length != 3) {
            throw ErrorReply.syntax();
        }
        if (Bytes.eq(argv[2], "on")) {
            return true;
        }
        if (Bytes.eq(argv[2], "off")) {
            return false;
        }
        throw ErrorReply.syntax();
    }
}
