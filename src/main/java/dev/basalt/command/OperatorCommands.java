package dev.basalt.command;

import static dev.basalt.command.CommandFlag.ADMIN;
import static dev.basalt.command.CommandFlag.LOADING;
import static dev.basalt.command.CommandFlag.NOSCRIPT;
import static dev.basalt.command.CommandFlag.STALE;
import static dev.basalt.command.CommandSpec.command;

import dev.basalt.protocol.ErrorReply;
import dev.basalt.util.RedisNumbers;

/** SLOWLOG and MONITOR: what operators watch. */
final class OperatorCommands {
    private OperatorCommands() {
    }

    static void register(CommandTable t, SlowLog slowLog, Monitors monitors) {
        t.add(command("slowlog", -2).group("server").since("2.2.12")
                .summary("A container for slow log commands.")
                .subcommand(command("get", -2).flags(ADMIN, LOADING, STALE).since("2.2.12")
                        .summary("Returns the slow log's entries.").handler((ctx, argv) -> {
                            if (argv.length > 3) {
                                throw ErrorReply.wrongArgs("slowlog|get");
                            }
                            long count = 10;
                            if (argv.length == 3) {
                                if (!RedisNumbers.isLong(argv[2]) || (count = RedisNumbers.parseLong(argv[2])) < -1) {
                                    throw new ErrorReply("ERR count should be greater than or equal to -1");
                                }
                            }
                            slowLog.write(ctx.out(), count);
                        }))
                .subcommand(command("len", 2).flags(ADMIN, LOADING, STALE).since("2.2.12")
                        .summary("Returns the number of entries in the slow log.")
                        .handler((ctx, argv) -> ctx.out().integer(slowLog.size())))
                .subcommand(command("reset", 2).flags(ADMIN, LOADING, STALE).since("2.2.12")
                        .summary("Clears all entries from the slow log.").handler((ctx, argv) -> {
                            slowLog.reset();
                            ctx.out().ok();
                        }))
                .subcommand(command("help", 2).flags(LOADING, STALE).since("6.2.0")
                        .summary("Show helpful text about the different subcommands")
                        .handler((ctx, argv) -> ServerCommands.help(ctx.out(), "SLOWLOG",
                                "GET [<count>]",
                                "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
                                "    Entries are made of:",
                                "    id, timestamp, time in microseconds, arguments array, client IP and port,",
                                "    client name",
                                "LEN",
                                "    Return the length of the slowlog.",
                                "RESET",
                                "    Reset the slowlog."))));
        t.add(command("monitor", 1).flags(ADMIN, NOSCRIPT, LOADING, STALE).group("server").since("1.0.0")
                .summary("Listens for all requests received by the server in real-time.").handler((ctx, argv) -> {
                    if (!ctx.client().monitor()) {
                        monitors.add(ctx.client());
                    }
                    ctx.out().ok();
                }));
    }
}
