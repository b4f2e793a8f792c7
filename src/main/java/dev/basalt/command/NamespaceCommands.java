package dev.basalt.command;

import static dev.basalt.command.CommandFlag.ADMIN;
import static dev.basalt.command.CommandFlag.NOSCRIPT;
import static dev.basalt.command.CommandSpec.command;

import dev.basalt.config.Config;
import dev.basalt.protocol.ErrorReply;
import dev.basalt.protocol.Reply;
import dev.basalt.storage.KeyCodec;
import dev.basalt.util.Bytes;
import dev.basalt.util.Log;
import java.util.Map;

/** Kvrocks's NAMESPACE ADD | SET | DEL | GET: namespace tokens changed while the server runs. */
final class NamespaceCommands {
    private NamespaceCommands() {
    }

    static void register(CommandTable t, NamespaceStore store, Config config) {
        t.add(command("namespace", -3).flags(ADMIN, NOSCRIPT).group("server")
                .summary("Adds, changes, deletes or shows namespace tokens (Kvrocks).")
                .handler((ctx, argv) -> namespace(ctx, argv, store, config)));
    }

    private static void namespace(ExecContext ctx, byte[][] argv, NamespaceStore store, Config config) throws ErrorReply {
        String sub = CommandTable.lower(argv[1]);
        Reply out = ctx.out();
        try {
            if (argv.length == 3 && sub.equals("get")) {
                get(ctx, Bytes.str(argv[2]), store, config);
            } else if (argv.length == 4 && sub.equals("set")) {
                store.set(Bytes.str(argv[2]), Bytes.str(argv[3]));
                Log.warn("Updated namespace: " + Bytes.str(argv[2]) + ", addr: " + ctx.client().addr());
                out.ok();
            } else if (argv.length == 4 && sub.equals("add")) {
                store.add(Bytes.str(argv[2]), Bytes.str(argv[3]));
                Log.warn("New namespace: " + Bytes.str(argv[2]) + ", addr: " + ctx.client().addr());
                out.ok();
            } else if (argv.length == 3 && sub.equals("del")) {
                store.delete(Bytes.str(argv[2]));
                Log.warn("Deleted namespace: " + Bytes.str(argv[2]) + ", addr: " + ctx.client().addr());
                out.ok();
            } else {
                throw new ErrorReply("ERR NAMESPACE subcommand must be one of GET, SET, DEL, ADD");
            }
        } catch (NamespaceStore.Refused e) {
            throw new ErrorReply("ERR " + e.getMessage());
        }
    }

    private static void get(ExecContext ctx, String name, NamespaceStore store, Config config) {
        Reply out = ctx.out();
        if (!name.equals("*")) {
            String token = store.token(name);
            if (token == null) {
                out.nullBulk();
            } else {
                out.bulk(token);
            }
            return;
        }
        // Every namespace and its token, then the default namespace with the admin password, as Kvrocks lists them.
        Map<String, String> tokens = store.tokens();
        out.arrayHeader(2L * tokens.size() + 2);
        tokens.forEach((token, ns) -> {
            out.bulk(ns);
            out.bulk(token);
        });
        out.bulk(KeyCodec.DEFAULT_NAMESPACE);
        out.bulk(config.getString("requirepass"));
    }
}
