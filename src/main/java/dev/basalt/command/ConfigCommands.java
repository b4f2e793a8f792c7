package dev.basalt.command;

import static dev.basalt.command.CommandFlag.ADMIN;
import static dev.basalt.command.CommandFlag.LOADING;
import static dev.basalt.command.CommandFlag.NOSCRIPT;
import static dev.basalt.command.CommandFlag.STALE;
import static dev.basalt.command.CommandSpec.command;

import dev.basalt.config.Config;
import dev.basalt.config.ConfigFile;
import dev.basalt.config.ConfigSetException;
import dev.basalt.protocol.ErrorReply;
import dev.basalt.protocol.Reply;
import dev.basalt.util.Bytes;
import dev.basalt.util.Log;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** CONFIG GET / SET / REWRITE / RESETSTAT / HELP. */
final class ConfigCommands {
    private static final List<String> HELP = List.of(
            "CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "GET <pattern>",
            "    Return parameters matching the glob-like <pattern> and their values.",
            "SET <directive> <value>",
            "    Set the configuration <directive> to <value>.",
            "RESETSTAT",
            "    Reset statistics reported by the INFO command.",
            "REWRITE",
            "    Rewrite the configuration file.",
            "HELP",
            "    Prints this help.");

    private ConfigCommands() {
    }

    static void register(CommandTable t, Config config, ServerStats stats) {
        t.add(command("config", -2).group("server").since("2.0.0")
                .summary("A container for server configuration commands.")
                .subcommand(command("get", -3).flags(ADMIN, NOSCRIPT, LOADING, STALE).since("2.0.0")
                        .summary("Returns the effective values of configuration parameters.")
                        .handler((ctx, argv) -> get(ctx, argv, config)))
                .subcommand(command("set", -4).flags(ADMIN, NOSCRIPT, LOADING, STALE).since("2.0.0")
                        .summary("Sets configuration parameters in-flight.")
                        .handler((ctx, argv) -> set(ctx, argv, config)))
                .subcommand(command("rewrite", 2).flags(ADMIN, NOSCRIPT, LOADING, STALE).since("2.8.0")
                        .summary("Persists the effective configuration to file.")
                        .handler((ctx, argv) -> rewrite(ctx, config)))
                .subcommand(command("resetstat", 2).flags(ADMIN, NOSCRIPT, LOADING, STALE).since("2.0.0")
                        .summary("Resets the server's statistics.")
                        .handler((ctx, argv) -> {
                            stats.reset();
                            ctx.out().ok();
                        }))
                .subcommand(command("help", 2).flags(LOADING, STALE).since("5.0.0")
                        .summary("Returns helpful text about the different subcommands.")
                        .handler((ctx, argv) -> {
                            Reply out = ctx.out();
                            out.arrayHeader(HELP.size());
                            for (String line : HELP) {
                                out.simple(line);
                            }
                        })));
    }

    private static void get(ExecContext ctx, byte[][] argv, Config config) {
        List<String> patterns = new ArrayList<>();
        for (int i = 2; i < argv.length; i++) {
            patterns.add(Bytes.str(argv[i]));
        }
        Map<String, String> found = config.matching(patterns);
        Reply out = ctx.out();
        out.mapHeader(found.size());
        found.forEach((name, value) -> {
            out.bulk(name);
            out.bulk(value);
        });
    }

    private static void set(ExecContext ctx, byte[][] argv, Config config) throws ErrorReply {
        if (argv.length % 2 != 0) {
            throw ErrorReply.syntax();
        }
        List<String> args = new ArrayList<>();
        for (int i = 2; i < argv.length; i++) {
            args.add(Bytes.str(argv[i]));
        }
        try {
            config.setAtRuntime(args);
        } catch (ConfigSetException e) {
            throw new ErrorReply("ERR " + e.getMessage());
        }
        ctx.out().ok();
    }

    private static void rewrite(ExecContext ctx, Config config) throws ErrorReply {
        if (config.file() == null) {
            throw new ErrorReply("ERR The server is running without a config file");
        }
        try {
            ConfigFile.rewrite(config);
        } catch (IOException e) {
            Log.warn("CONFIG REWRITE failed: " + e.getMessage());
            throw new ErrorReply("ERR Rewriting config file: " + e.getMessage());
        }
        Log.info("CONFIG REWRITE executed with success.");
        ctx.out().ok();
    }
}
