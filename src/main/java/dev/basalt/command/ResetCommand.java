package dev.basalt.command;

import static dev.basalt.command.CommandFlag.FAST;
import static dev.basalt.command.CommandFlag.LOADING;
import static dev.basalt.command.CommandFlag.NOSCRIPT;
import static dev.basalt.command.CommandFlag.NO_AUTH;
import static dev.basalt.command.CommandFlag.STALE;
import static dev.basalt.command.CommandFlag.SUBSCRIBER_OK;
import static dev.basalt.command.CommandFlag.TRANSACTION_CONTROL;
import static dev.basalt.command.CommandSpec.command;

import dev.basalt.storage.KeyCodec;

/**
 * RESET: the connection as it was when it connected: no transaction or watches, replies on, RESP2,
 * no subscriptions, no name, the default namespace, and logged out when a password is required.
 */
final class ResetCommand {
    private ResetCommand() {
    }

    static void register(CommandTable t, Services services) {
        t.add(command("reset", 1).flags(NOSCRIPT, LOADING, STALE, FAST, NO_AUTH, TRANSACTION_CONTROL, SUBSCRIBER_OK)
                .group("connection").since("6.2.0").summary("Resets the connection.")
                .handler((ctx, argv) -> {
                    reset(ctx.client(), services);
                    ctx.out().setProtocol(2);
                    ctx.out().simple("RESET");
                }));
    }

    static void reset(ClientSession client, Services services) {
        if (client.inMulti()) {
            client.endMulti();
        }
        services.keyEvents().unwatchAll(client);
        services.pubsub().unsubscribeAll(client);
        services.monitors().remove(client);
        client.setNoEvict(false);
        client.setReplyMode(ClientSession.ReplyMode.ON);
        client.setProtocol(2);
        client.setName("");
        client.setNamespace(KeyCodec.DEFAULT_NAMESPACE);
        client.setAdmin(true);
        if (services.config().requiresAuth()) {
            client.setAuthenticated(false);
        }
    }
}
