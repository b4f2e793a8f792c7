package dev.basalt.cli;

import dev.basalt.config.Config;
import dev.basalt.config.ConfigException;
import dev.basalt.config.ConfigFile;
import dev.basalt.config.ConfigSchema;
import dev.basalt.config.Directive;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine;

/**
 * The command line: {@code basalt [-c kvrocks.conf] [--<directive> <value>]...}. Every kvrocks.conf
 * directive is an option of its own name; the command line wins over the file. Parsing never exits
 * the process, so tests can call {@link #parse} directly.
 */
public final class Cli {
    /** What the command line asks for. */
    public sealed interface Invocation permits Help, Version, Run {
    }

    /** --help: print the text and exit 0. */
    public record Help(String text) implements Invocation {
    }

    /** --version: print the text and exit 0. */
    public record Version(String text) implements Invocation {
    }

    /** Start the server with this configuration; log the warnings once logging is set up. */
    public record Run(Config config, List<String> warnings) implements Invocation {
    }

    private static final Map<String, String> LABELS = Map.of(
            "port", "<port>", "bind", "<addr>", "dir", "<dir>", "requirepass", "<password>",
            "maxclients", "<n>", "timeout", "<seconds>", "log-level", "<level>", "log-dir", "<dir|stdout>",
            "proto-max-bulk-len", "<bytes>");

    private Cli() {
    }

    /**
     * Reads the command line (and the configuration file it names).
     *
     * @throws UsageException for an unknown option, a missing value or a stray argument
     * @throws ConfigException for an unreadable file or a refused value (file or command line)
     */
    public static Invocation parse(String... args) throws UsageException, ConfigException {
        CommandLine cl = commandLine();
        ParseResult pr;
        try {
            pr = cl.parseArgs(args);
        } catch (CommandLine.UnmatchedArgumentException e) {
            List<String> unmatched = e.getUnmatched();
            String first = unmatched.isEmpty() ? "" : unmatched.get(0);
            throw new UsageException((first.startsWith("-") ? "unknown option '" : "unexpected argument '")
                    + first + "' (see --help)");
        } catch (ParameterException e) {
            throw new UsageException(oneLine(e.getMessage()) + " (see --help)");
        }
        if (pr.isUsageHelpRequested()) {
            return new Help(cl.getUsageMessage(CommandLine.Help.Ansi.OFF));
        }
        if (pr.isVersionHelpRequested()) {
            return new Version("basalt " + dev.basalt.util.Version.VERSION);
        }
        List<ConfigFile.Override> overrides = new ArrayList<>();
        for (OptionSpec o : cl.getCommandSpec().options()) {
            Object directive = o.userObject();
            if (!(directive instanceof Directive d) || !pr.hasMatchedOption(o)) {
                continue;
            }
            if (d.type() == Directive.Type.MULTI) {
                for (String v : o.<String[]>getValue()) {
                    overrides.add(new ConfigFile.Override(d.name(), v));
                }
            } else {
                overrides.add(new ConfigFile.Override(d.name(), o.<String>getValue()));
            }
        }
        String conf = pr.matchedOptionValue("--conf", null);
        List<String> warnings = new ArrayList<>();
        Config config = ConfigFile.load(conf == null ? null : Path.of(conf), overrides, warnings::add);
        return new Run(config, warnings);
    }

    static CommandLine commandLine() {
        CommandSpec spec = CommandSpec.create().name("basalt");
        spec.usageMessage()
                .width(100)
                .description("A Kvrocks-compatible Redis server that keeps its data in RocksDB.")
                .footer("", "Every kvrocks.conf directive can be given as --<directive> <value>, e.g.",
                        "--rocksdb.write_buffer_size 64; the command line wins over the file.",
                        "Without -c, every directive has its default.");
        spec.addOption(OptionSpec.builder("-c", "--conf").paramLabel("<file>").type(String.class)
                .description("The kvrocks.conf to read.").build());
        for (String name : ConfigSchema.COMMON) {
            spec.addOption(directiveOption(ConfigSchema.lookup(name), false));
        }
        for (Directive d : ConfigSchema.all()) {
            if (!ConfigSchema.COMMON.contains(d.name())) {
                spec.addOption(directiveOption(d, true));
            }
        }
        spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true).description("Show this help and exit.").build());
        spec.addOption(OptionSpec.builder("-v", "--version").versionHelp(true)
                .description("Print the version and exit.").build());
        CommandLine cl = new CommandLine(spec);
        cl.setOverwrittenOptionsAllowed(true); // the last of a repeated option wins
        cl.setOptionsCaseInsensitive(true); // directive names are case-insensitive, as in the file
        return cl;
    }

    private static OptionSpec directiveOption(Directive d, boolean hidden) {
        OptionSpec.Builder b = OptionSpec.builder("--" + d.name())
                .paramLabel(LABELS.getOrDefault(d.name(), "<value>"))
                .arity("1")
                .hidden(hidden)
                .userObject(d);
        if (d.type() == Directive.Type.MULTI) {
            b.type(String[].class);
        } else {
            b.type(String.class);
        }
        if (!hidden) {
            String def = d.defaultValue().isEmpty() ? "none" : d.defaultValue();
            b.description(d.description() + " Default: " + def + ".");
        }
        return b.build();
    }

    private static String oneLine(String s) {
        return s == null ? "invalid command line" : s.replaceAll("\\s*\\R\\s*", " ").trim();
    }
}
