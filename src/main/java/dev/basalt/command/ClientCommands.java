package dev.basalt.command;

import static dev.basalt.command.CommandFlag.ADMIN;
import static dev.basalt.command.CommandFlag.LOADING;
import static dev.basalt.command.CommandFlag.NOSCRIPT;
import static dev.basalt.command.CommandFlag.STALE;
import static dev.basalt.command.CommandSpec.command;

import dev.basalt.command.ClientSession;
import dev.basalt.protocol.ErrorReply;
import dev.basalt.util.Bytes;
import dev.basalt.util.RedisNumbers;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/** CLIENT and its subcommands. */
final class ClientCommands {
    private ClientCommands() {
    }

    static void register(CommandTable t, ClientDirectory clients, ClientPause pause) {
        t.add(command("client", -2).group("connection").since("2.4.0")
                .summary("A container for client connection commands.")
                .subcommand(command("id", 2).flags(NOSCRIPT, LOADING, STALE).since("5.0.0")
                        .summary("Returns the unique client ID of the connection.")
                        .handler((ctx, argv) -> ctx.out().integer(ctx.client().id())))
                .subcommand(command("getname", 2).flags(NOSCRIPT, LOADING, STALE).since("2.6.9")
                        .summary("Returns the name of the connection.").handler((ctx, argv) -> {
                            String name = ctx.client().name();
                            if (name.isEmpty()) {
                                ctx.out().nullBulk();
                            } else {
                                ctx.out().bulk(name);
                            }
                        }))
                .subcommand(command("setname", 3).flags(NOSCRIPT, LOADING, STALE).since("2.6.9")
                        .summary("Sets the connection name.").handler((ctx, argv) -> {
                            String name = Bytes.str(argv[2]);
                            validateName(name);
                            ctx.client().setName(name);
                            ctx.out().ok();
                        }))
                .subcommand(command("setinfo", 4).flags(NOSCRIPT, LOADING, STALE).since("7.2.0")
                        .summary("Sets information specific to the client or connection.")
                        .handler(ClientCommands::setInfo))
                .subcommand(command("info", 2).flags(NOSCRIPT, LOADING, STALE).since("6.2.0")
                        .summary("Returns information about the connection.")
                        .handler((ctx, argv) -> ctx.out().verbatim(describe(ctx.client(), System.currentTimeMillis()))))
                .subcommand(command("list", -2).flags(ADMIN, NOSCRIPT, LOADING, STALE).since("2.4.0")
                        .summary("Lists open connections.").handler((ctx, argv) -> list(ctx, argv, clients)))
                .subcommand(command("kill", -3).flags(ADMIN, NOSCRIPT, LOADING, STALE).since("2.4.0")
                        .summary("Terminates open connections.").handler((ctx, argv) -> kill(ctx, argv, clients)))
                .subcommand(command("reply", 3).flags(NOSCRIPT, LOADING, STALE).since("3.2.0")
                        .summary("Instructs the server whether to reply to commands.").handler(ClientCommands::reply))
                .subcommand(command("pause", -3).flags(ADMIN, NOSCRIPT, LOADING, STALE).since("3.0.0")
                        .summary("Suspends commands processing.").handler((ctx, argv) -> pause(ctx, argv, pause)))
                .subcommand(command("unpause", 2).flags(ADMIN, NOSCRIPT, LOADING, STALE).since("6.2.0")
                        .summary("Resumes processing commands from paused clients.").handler((ctx, argv) -> {
                            pause.unpause();
                            ctx.out().ok();
                        }))
                .subcommand(command("unblock", -3).flags(ADMIN, NOSCRIPT, LOADING, STALE).since("5.0.0")
                        .summary("Unblocks a client blocked by a blocking command from a different connection.")
                        .handler((ctx, argv) -> unblock(ctx, argv, clients)))
                .subcommand(command("no-evict", 3).flags(ADMIN, NOSCRIPT, LOADING, STALE).since("7.0.0")
                        .summary("Set client no-evict mode for the current connection.").handler((ctx, argv) -> {
                            if (Bytes.eq(argv[2], "on")) {
                                ctx.client().setNoEvict(true);
                            } else if (Bytes.eq(argv[2], "off")) {
                                ctx.client().setNoEvict(false);
                            } else {
                                throw ErrorReply.syntax();
                            }
                            ctx.out().ok();
                        }))
                .subcommand(command("help", 2).flags(LOADING, STALE).since("5.0.0")
                        .summary("Returns helpful text about the different subcommands.")
                        .handler((ctx, argv) -> ServerCommands.help(ctx.out(), "CLIENT",
                                "GETNAME", "    Return the name of this connection.",
                                "ID", "    Return the ID of this connection.",
                                "INFO", "    Describe this connection, in the format of CLIENT LIST.",
                                "KILL <ip:port>", "    Close the connection from <ip:port>.",
                                "KILL <option> <value> [<option> <value> [...]]",
                                "    Close every connection that matches all the options:",
                                "    * ID <client-id>", "      The connection with this ID.",
                                "    * ADDR <ip:port>", "      Connections from this address.",
                                "    * LADDR <ip:port>", "      Connections to this local address.",
                                "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)", "      Connections of this type.",
                                "    * USER <username>", "      Connections authenticated as this user.",
                                "    * SKIPME (YES|NO)", "      Spare this connection (default: yes).",
                                "LIST [TYPE (NORMAL|MASTER|REPLICA|PUBSUB)] [ID <client-id> [<client-id> ...]]",
                                "    Describe the connections, optionally only those of a type or with the IDs.",
                                "NO-EVICT (ON|OFF)", "    Protect this connection from eviction (Basalt never evicts clients).",
                                "PAUSE <timeout> [WRITE|ALL]",
                                "    Suspend all, or just write, clients for <timeout> milliseconds.",
                                "REPLY (ON|OFF|SKIP)", "    Turn replies to this connection on or off, or skip the next one.",
                                "SETINFO (LIB-NAME|LIB-VER) <value>", "    Record the client library's name or version.",
                                "SETNAME <name>", "    Name this connection.",
                                "UNBLOCK <clientid> [TIMEOUT|ERROR]",
                                "    Unblock the specified blocked client.",
                                "UNPAUSE", "    Stop the current client pause, resuming traffic."))));
    }

    /** CLIENT PAUSE timeout [WRITE|ALL]. */
    private static void pause(ExecContext ctx, byte[][] argv, ClientPause pause) throws ErrorReply {
        if (argv.length > 4) {
            throw ErrorReply.syntax();
        }
        if (!RedisNumbers.isLong(argv[2])) {
            throw new ErrorReply("ERR timeout is not an integer or out of range");
        }
        long ms = RedisNumbers.parseLong(argv[2]);
        if (ms < 0) {
            throw new ErrorReply("ERR timeout is negative");
        }
        boolean all = true;
        if (argv.length == 4) {
            if (Bytes.eq(argv[3], "write")) {
                all = false;
            } else if (!Bytes.eq(argv[3], "all")) {
                throw new ErrorReply("ERR CLIENT PAUSE mode must be WRITE or ALL");
            }
        }
        long now = System.currentTimeMillis();
        pause.pause(ms > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + ms, all);
        ctx.out().ok();
    }

    /** CLIENT UNBLOCK id [TIMEOUT|ERROR]: 1 when the client was parked in a blocking command and is freed. */
    private static void unblock(ExecContext ctx, byte[][] argv, ClientDirectory clients) throws ErrorReply {
        if (argv.length > 4) {
            throw ErrorReply.syntax();
        }
        long id = Arguments.integer(argv[2]);
        boolean error = false;
        if (argv.length == 4) {
            if (Bytes.eq(argv[3], "error")) {
                error = true;
            } else if (!Bytes.eq(argv[3], "timeout")) {
                throw new ErrorReply("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
            }
        }
        ClientSession target = clients.get(id);
        ClientSession.Unblocker u = target == null ? null : target.unblocker();
        ctx.out().integer(u != null && u.unblock(error) ? 1 : 0);
    }

    /** Redis refuses client names with spaces, newlines or other special characters. */
    static void validateName(String name) throws ErrorReply {
        if (!printableWithoutSpaces(name)) {
            throw new ErrorReply("ERR Client names cannot contain spaces, newlines or special characters.");
        }
    }

    private static boolean printableWithoutSpaces(String s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch < '!' || ch > '~') {
                return false;
            }
        }
        return true;
    }

    private static void setInfo(ExecContext ctx, byte[][] argv) throws ErrorReply {
        String attr = Bytes.str(argv[2]);
        String value = Bytes.str(argv[3]);
        boolean libName = Bytes.eq(argv[2], "lib-name");
        if (!libName && !Bytes.eq(argv[2], "lib-ver")) {
            throw new ErrorReply("ERR Unrecognized option '" + attr + "'");
        }
        if (!printableWithoutSpaces(value)) {
            throw new ErrorReply("ERR " + attr + " cannot contain spaces, newlines or special characters.");
        }
        if (libName) {
            ctx.client().setLibName(value);
        } else {
            ctx.client().setLibVersion(value);
        }
        ctx.out().ok();
    }

    /** CLIENT REPLY: the Dispatcher applies the mode; OFF and SKIP answer nothing, ON answers +OK. */
    private static void reply(ExecContext ctx, byte[][] argv) throws ErrorReply {
        if (Bytes.eq(argv[2], "on")) {
            ctx.client().setReplyMode(ClientSession.ReplyMode.ON);
            ctx.out().ok();
        } else if (Bytes.eq(argv[2], "off")) {
            ctx.client().setReplyMode(ClientSession.ReplyMode.OFF);
        } else if (Bytes.eq(argv[2], "skip")) {
            // SKIP while OFF changes nothing, as in Redis.
            if (ctx.client().replyMode() != ClientSession.ReplyMode.OFF) {
                ctx.client().setReplyMode(ClientSession.ReplyMode.SKIP);
            }
        } else {
            throw ErrorReply.syntax();
        }
    }

    private static void list(ExecContext ctx, byte[][] argv, ClientDirectory clientDirectory) throws ErrorReply {
        List<ClientSession> clients = clientDirectory.list();
        List<ClientSession> shown;
        if (argv.length == 2) {
            shown = clients;
        } else if (argv.length == 4 && Bytes.eq(argv[2], "type")) {
            shown = clients.stream().filter(typeIs(argv[3])).toList();
        } else if (argv.length > 3 && Bytes.eq(argv[2], "id")) {
            Set<Long> ids = new LinkedHashSet<>();
            for (int i = 3; i < argv.length; i++) {
                long id = parseId(argv[i]);
                if (id < 1) {
                    throw new ErrorReply("ERR Invalid client ID");
                }
                ids.add(id);
            }
            shown = new ArrayList<>();
            for (long id : ids) {
                ClientSession c = clientDirectory.get(id);
                if (c != null) {
                    shown.add(c);
                }
            }
        } else {
            throw ErrorReply.syntax();
        }
        long now = System.currentTimeMillis();
        StringBuilder sb = new StringBuilder();
        for (ClientSession c : shown) {
            sb.append(describe(c, now));
        }
        ctx.out().verbatim(sb.toString());
    }

    /** A CLIENT LIST/KILL type: normal or pubsub (a client with a subscription); Basalt has no replication links. */
    private static Predicate<ClientSession> typeIs(byte[] type) throws ErrorReply {
        if (Bytes.eq(type, "normal")) {
            return c -> !c.subscribedToAnything();
        }
        if (Bytes.eq(type, "pubsub")) {
            return ClientSession::subscribedToAnything;
        }
        if (Bytes.eq(type, "master") || Bytes.eq(type, "replica") || Bytes.eq(type, "slave")) {
            return c -> false;
        }
        throw new ErrorReply("ERR Unknown client type '" + Bytes.str(type) + "'");
    }

    /** A decimal id, or -1 when the argument is not one. */
    private static long parseId(byte[] arg) {
        try {
            return Long.parseLong(Bytes.str(arg));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void kill(ExecContext ctx, byte[][] argv, ClientDirectory clientDirectory) throws ErrorReply {
        ClientSession self = ctx.client();
        if (argv.length == 3) {
            // Old form: CLIENT KILL ip:port
            String addr = Bytes.str(argv[2]);
            for (ClientSession c : clientDirectory.list()) {
                if (c.addr().equals(addr)) {
                    close(self, c);
                    ctx.out().ok();
                    return;
                }
            }
            throw new ErrorReply("ERR No such client");
        }
        long id = 0;
        String addr = null;
        String laddr = null;
        Predicate<ClientSession> type = c -> true;
        boolean skipMe = true;
        for (int i = 2; i < argv.length; i += 2) {
            if (i + 1 >= argv.length) {
                throw ErrorReply.syntax();
            }
            byte[] option = argv[i];
            byte[] value = argv[i + 1];
            if (Bytes.eq(option, "id")) {
                id = parseId(value);
                if (id < 1) {
                    throw new ErrorReply("ERR client-id should be greater than 0");
                }
            } else if (Bytes.eq(option, "type")) {
                type = typeIs(value);
            } else if (Bytes.eq(option, "addr")) {
                addr = Bytes.str(value);
            } else if (Bytes.eq(option, "laddr")) {
                laddr = Bytes.str(value);
            } else if (Bytes.eq(option, "user")) {
                // Basalt has the default user only, and every connection is it.
                if (!Bytes.str(value).equals("default")) {
                    throw new ErrorReply("ERR No such user '" + Bytes.str(value) + "'");
                }
            } else if (Bytes.eq(option, "skipme")) {
                if (Bytes.eq(value, "yes")) {
                    skipMe = true;
                } else if (Bytes.eq(value, "no")) {
                    skipMe = false;
                } else {
                    throw ErrorReply.syntax();
                }
            } else {
                throw ErrorReply.syntax();
            }
        }
        long killed = 0;
        for (ClientSession c : clientDirectory.list()) {
            if (!type.test(c) || (id != 0 && c.id() != id) || (addr != null && !c.addr().equals(addr))
                    || (laddr != null && !c.localAddr().equals(laddr)) || (skipMe && c == self)) {
                continue;
            }
            close(self, c);
            killed++;
        }
        ctx.out().integer(killed);
    }

    /** Closes a connection; one's own closes once this command's reply is out. */
    private static void close(ClientSession self, ClientSession target) {
        if (target == self) {
            self.setCloseAfterReply();
        } else {
            target.kill();
        }
    }

    /** One CLIENT LIST line (with its newline), in Redis 7's field order; fields Basalt cannot measure are 0. */
    static String describe(ClientSession c, long nowMs) {
        StringBuilder sb = new StringBuilder(256);
        sb.append("id=").append(c.id())
                .append(" addr=").append(c.addr())
                .append(" laddr=").append(c.localAddr())
                .append(" fd=0")
                .append(" name=").append(c.name())
                .append(" age=").append(Math.max(0, (nowMs - c.createdMs()) / 1000))
                .append(" idle=").append(Math.max(0, (nowMs - c.lastActiveMs()) / 1000))
                .append(" flags=").append(c.flags())
                .append(" db=0 sub=").append(c.subscribedChannels())
                .append(" psub=").append(c.subscribedPatterns())
                .append(" ssub=").append(c.subscribedShardChannels())
                .append(" multi=").append(c.multiCount())
                .append(" qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 rbs=0 rbp=0 obl=0 oll=0 omem=0 tot-mem=0")
                .append(" events=r")
                .append(" cmd=").append(c.lastCommand())
                .append(" user=default redir=-1")
                .append(" resp=").append(c.protocol())
                .append(" lib-name=").append(c.libName())
                .append(" lib-ver=").append(c.libVersion())
                .append('\n');
        return sb.toString();
    }
}
