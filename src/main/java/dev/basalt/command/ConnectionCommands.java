package dev.basalt.command;

import static dev.basalt.command.Arguments.integer;
import static dev.basalt.command.CommandFlag.FAST;
import static dev.basalt.command.CommandFlag.LOADING;
import static dev.basalt.command.CommandFlag.NOSCRIPT;
import static dev.basalt.command.CommandFlag.NO_AUTH;
import static dev.basalt.command.CommandFlag.STALE;
import static dev.basalt.command.CommandSpec.command;

import dev.basalt.config.Config;
import dev.basalt.protocol.ErrorReply;
import dev.basalt.protocol.Reply;
import dev.basalt.storage.KeyCodec;
import dev.basalt.util.Bytes;
import dev.basalt.util.Version;
import java.security.MessageDigest;

/** PING, ECHO, QUIT, SELECT, AUTH, HELLO: the connection group (CLIENT lives in ClientCommands). */
final class ConnectionCommands {
    private ConnectionCommands() {
    }

    static void register(CommandTable t, Config config) {
        t.add(command("ping", -1).flags(FAST, CommandFlag.SUBSCRIBER_OK).group("connection").summary("Returns the server's liveliness response.")
                .handler(ConnectionCommands::ping));
        t.add(command("echo", 2).flags(FAST, LOADING, STALE).group("connection").summary("Returns the given string.")
                .handler((ctx, argv) -> ctx.out().bulk(argv[1])));
        t.add(command("quit", -1).flags(NOSCRIPT, NO_AUTH, FAST, LOADING, STALE, CommandFlag.TRANSACTION_CONTROL,
                CommandFlag.SUBSCRIBER_OK)
                .group("connection").summary("Closes the connection.").handler(ConnectionCommands::quit));
        t.add(command("select", 2).flags(FAST, LOADING, STALE).group("connection")
                .summary("Changes the selected database.").handler(ConnectionCommands::select));
        t.add(command("auth", -2).flags(NOSCRIPT, NO_AUTH, FAST, LOADING, STALE).group("connection")
                .summary("Authenticates the connection.").handler((ctx, argv) -> auth(ctx, argv, config)));
        t.add(command("hello", -1).flags(NOSCRIPT, NO_AUTH, FAST, LOADING, STALE).group("connection").since("6.0.0")
                .summary("Handshakes with the Redis server.").handler((ctx, argv) -> hello(ctx, argv, config)));
    }

    private static void ping(ExecContext ctx, byte[][] argv) throws ErrorReply {
        if (argv.length > 2) {
            throw ErrorReply.wrongArgs("ping");
        }
        if (ctx.client().inSubscribedMode()) {
            // A RESP2 subscriber gets a message-shaped pong, as Redis answers it in that mode.
            ctx.out().arrayHeader(2);
            ctx.out().bulk("pong");
            ctx.out().bulk(argv.length == 2 ? argv[1] : new byte[0]);
            return;
        }
        if (argv.length == 2) {
            ctx.out().bulk(argv[1]);
        } else {
            ctx.out().simple("PONG");
        }
    }

    private static void quit(ExecContext ctx, byte[][] argv) {
        ctx.client().setCloseAfterReply();
        ctx.out().ok();
    }

    private static void select(ExecContext ctx, byte[][] argv) throws ErrorReply {
        // Kvrocks has one database per namespace: index 0 only.
        if (integer(argv[1]) != 0) {
            throw new ErrorReply("ERR DB index is out of range");
        }
        ctx.out().ok();
    }

    private static void auth(ExecContext ctx, byte[][] argv, Config config) throws ErrorReply {
        if (argv.length > 3) {
            throw ErrorReply.syntax();
        }
        if (argv.length == 2 && !config.requiresAuth()) {
            throw new ErrorReply("ERR AUTH <password> called without any password configured for the default user. "
                    + "Are you sure your configuration is correct?");
        }
        byte[] user = argv.length == 3 ? argv[1] : Bytes.of("default");
        byte[] pass = argv[argv.length - 1];
        checkCredentials(ctx, config, user, pass);
        ctx.out().ok();
    }

    /**
     * Authenticates the client or throws WRONGPASS. As in Kvrocks, requirepass logs in as admin in the
     * default namespace, and a {@code namespace.<name>} token logs in to that namespace.
     */
    static void checkCredentials(ExecContext ctx, Config config, byte[] user, byte[] pass) throws ErrorReply {
        if (!Bytes.eq(user, "default")) {
            throw wrongPass();
        }
        String required = config.getString("requirepass");
        if (required.isEmpty() || MessageDigest.isEqual(Bytes.of(required), pass)) {
            ctx.client().setNamespace(KeyCodec.DEFAULT_NAMESPACE);
            ctx.client().setAdmin(true);
        } else {
            String namespace = config.namespaceTokens().get(Bytes.str(pass));
            if (namespace == null) {
                throw wrongPass();
            }
            ctx.client().setNamespace(namespace);
            ctx.client().setAdmin(false);
        }
        ctx.client().setAuthenticated(true);
    }

    private static ErrorReply wrongPass() {
        return new ErrorReply("WRONGPASS invalid username-password pair or user is disabled.");
    }

    private static void hello(ExecContext ctx, byte[][] argv, Config config) throws ErrorReply {
        ClientSession client = ctx.client();
        int protocol = client.protocol();
        int i = 1;
        if (argv.length >= 2) {
            long ver;
            try {
                ver = Long.parseLong(Bytes.str(argv[1]));
            } catch (NumberFormatException e) {
                throw new ErrorReply("ERR Protocol version is not an integer or out of range");
            }
            if (ver < 2 || ver > 3) {
                throw new ErrorReply("NOPROTO unsupported protocol version");
            }
            protocol = (int) ver;
            i = 2;
        }
        byte[] authUser = null;
        byte[] authPass = null;
        String setName = null;
        for (; i < argv.length; i++) {
            int left = argv.length - i - 1;
            if (Bytes.eq(argv[i], "auth") && left >= 2) {
                authUser = argv[i + 1];
                authPass = argv[i + 2];
                i += 2;
            } else if (Bytes.eq(argv[i], "setname") && left >= 1) {
                setName = Bytes.str(argv[i + 1]);
                i += 1;
            } else {
                throw new ErrorReply("ERR Syntax error in HELLO option '" + Bytes.str(argv[i]) + "'");
            }
        }
        if (authUser != null) {
            checkCredentials(ctx, config, authUser, authPass);
        }
        if (!client.authenticated() && config.requiresAuth()) {
            throw new ErrorReply("NOAUTH HELLO must be called with the client already authenticated, otherwise the "
                    + "HELLO AUTH <user> <pass> option can be used to authenticate the client and select the "
                    + "RESP protocol version at the same time");
        }
        if (setName != null) {
            ClientCommands.validateName(setName);
            client.setName(setName);
        }
        client.setProtocol(protocol);
        Reply out = ctx.out();
        out.setProtocol(protocol);
        out.mapHeader(7);
        out.bulk("server");
        out.bulk("redis");
        out.bulk("version");
        out.bulk(Version.REDIS_COMPAT_VERSION);
        out.bulk("proto");
        out.integer(protocol);
        out.bulk("id");
        out.integer(client.id());
        out.bulk("mode");
        out.bulk("standalone");
        out.bulk("role");
        out.bulk("master");
        out.bulk("modules");
        out.arrayHeader(0);
    }
}
