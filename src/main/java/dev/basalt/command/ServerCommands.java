package dev.basalt.command;

import static dev.basalt.command.CommandFlag.ADMIN;
import static dev.basalt.command.CommandFlag.FAST;
import static dev.basalt.command.CommandFlag.LOADING;
import static dev.basalt.command.CommandFlag.NO_MULTI;
import static dev.basalt.command.CommandFlag.NOSCRIPT;
import static dev.basalt.command.CommandFlag.STALE;
import static dev.basalt.command.CommandSpec.command;

import dev.basalt.storage.StorageException;
import dev.basalt.util.Bytes;

/** Server administration: TIME, SHUTDOWN, DEBUG. */
final class ServerCommands {
    private ServerCommands() {
    }

    static void register(CommandTable t) {
        t.add(command("time", 1).flags(LOADING, STALE, FAST).group("server").since("2.6.0")
                .summary("Returns the server time.").handler((ctx, argv) -> {
                    long micros = System.currentTimeMillis() * 1000 + (System.nanoTime() / 1000) % 1000;
                    ctx.out().arrayHeader(2);
                    ctx.out().bulk(Long.toString(micros / 1_000_000));
                    ctx.out().bulk(Long.toString(micros % 1_000_000));
                }));
        t.add(command("shutdown", -1).flags(ADMIN, NOSCRIPT, LOADING, STALE, NO_MULTI).group("server")
                .summary("Synchronously saves the database(s) to disk and shuts down the Redis server.")
                .handler(ServerCommands::shutdown));
        t.add(command("debug", -2).flags(ADMIN, NOSCRIPT, LOADING, STALE).group("server")
                .summary("A container for debugging commands.").handler(ServerCommands::debug));
    }

    private static void shutdown(ExecContext ctx, byte[][] argv) throws CommandException {
        for (int i = 1; i < argv.length; i++) {
            if (!(Bytes.eq(argv[i], "nosave") || Bytes.eq(argv[i], "save") || Bytes.eq(argv[i], "now")
                    || Bytes.eq(argv[i], "force") || Bytes.eq(argv[i], "abort"))) {
                throw CommandException.syntax();
            }
        }
        // Like Redis, no reply: the connection closes once the server is stopping.
        ctx.client().setCloseAfterReply();
        ctx.server().stopAsync();
    }

    private static void debug(ExecContext ctx, byte[][] argv) throws CommandException {
        String sub = CommandTable.lower(argv[1]);
        switch (sub) {
            case "sleep" -> {
                if (argv.length != 3) {
                    throw CommandException.wrongArgs("debug");
                }
                double seconds;
                try {
                    seconds = Double.parseDouble(Bytes.str(argv[2]));
                } catch (NumberFormatException e) {
                    throw CommandException.notFloat();
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
                    ctx.server().storage().setWriteStall(on);
                } catch (StorageException e) {
                    throw new CommandException("ERR " + e.getMessage());
                }
                ctx.out().ok();
            }
            case "fail-writes" -> {
                // Test seam: every commit fails with an I/O error until "off".
                ctx.server().storage().injectWriteFailure(onOff(argv) ? "IO error: injected by DEBUG FAIL-WRITES" : null);
                ctx.out().ok();
            }
            default -> throw new CommandException("ERR unknown subcommand '" + Bytes.str(argv[1]) + "'. Try DEBUG HELP.");
        }
    }

    private static boolean onOff(byte[][] argv) throws CommandException {
        if (argv.length != 3) {
            throw CommandException.syntax();
        }
        if (Bytes.eq(argv[2], "on")) {
            return true;
        }
        if (Bytes.eq(argv[2], "off")) {
            return false;
        }
        throw CommandException.syntax();
    }
}
