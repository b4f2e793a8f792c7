package dev.basalt.command;

import static dev.basalt.command.CommandFlag.FAST;
import static dev.basalt.command.CommandFlag.LOADING;
import static dev.basalt.command.CommandFlag.NOSCRIPT;
import static dev.basalt.command.CommandFlag.PUBSUB;
import static dev.basalt.command.CommandFlag.STALE;
import static dev.basalt.command.CommandFlag.SUBSCRIBER_OK;
import static dev.basalt.command.CommandSpec.command;

import dev.basalt.protocol.ErrorReply;
import dev.basalt.protocol.Reply;
import dev.basalt.util.Bytes;
import java.util.List;

/**
 * SUBSCRIBE, PSUBSCRIBE, SSUBSCRIBE and their UNSUBSCRIBEs, PUBLISH, SPUBLISH, Kvrocks's MPUBLISH and
 * PUBSUB. Publishing commands run alone (they are neither reads nor writes of keys), so a message is
 * sent exactly once even when a pipelined burst around it has to run again.
 */
final class PubSubCommands {
    private PubSubCommands() {
    }

    static void register(CommandTable t, PubSub pubsub) {
        t.add(command("subscribe", -2).flags(PUBSUB, NOSCRIPT, LOADING, STALE, SUBSCRIBER_OK).group("pubsub")
                .since("2.0.0").summary("Listens for messages published to channels.")
                .handler((ctx, argv) -> subscribe(ctx, argv, pubsub, PubSub.Kind.CHANNEL)));
        t.add(command("psubscribe", -2).flags(PUBSUB, NOSCRIPT, LOADING, STALE, SUBSCRIBER_OK).group("pubsub")
                .since("2.0.0").summary("Listens for messages published to channels that match one or more patterns.")
                .handler((ctx, argv) -> subscribe(ctx, argv, pubsub, PubSub.Kind.PATTERN)));
        t.add(command("ssubscribe", -2).flags(PUBSUB, NOSCRIPT, LOADING, STALE, SUBSCRIBER_OK).group("pubsub")
                .since("7.0.0").summary("Listens for messages published to shard channels.")
                .handler((ctx, argv) -> subscribe(ctx, argv, pubsub, PubSub.Kind.SHARD)));
        t.add(command("unsubscribe", -1).flags(PUBSUB, NOSCRIPT, LOADING, STALE, SUBSCRIBER_OK).group("pubsub")
                .since("2.0.0").summary("Stops listening to messages posted to channels.")
                .handler((ctx, argv) -> unsubscribe(ctx, argv, pubsub, PubSub.Kind.CHANNEL)));
        t.add(command("punsubscribe", -1).flags(PUBSUB, NOSCRIPT, LOADING, STALE, SUBSCRIBER_OK).group("pubsub")
                .since("2.0.0").summary("Stops listening to messages published to channels that match one or more patterns.")
                .handler((ctx, argv) -> unsubscribe(ctx, argv, pubsub, PubSub.Kind.PATTERN)));
        t.add(command("sunsubscribe", -1).flags(PUBSUB, NOSCRIPT, LOADING, STALE, SUBSCRIBER_OK).group("pubsub")
                .since("7.0.0").summary("Stops listening to messages posted to shard channels.")
                .handler((ctx, argv) -> unsubscribe(ctx, argv, pubsub, PubSub.Kind.SHARD)));
        t.add(command("publish", 3).flags(PUBSUB, LOADING, STALE, FAST).group("pubsub").since("2.0.0")
                .summary("Posts a message to a channel.")
                .handler((ctx, argv) -> ctx.out().integer(pubsub.publish(argv[1], argv[2]))));
        t.add(command("spublish", 3).flags(PUBSUB, LOADING, STALE, FAST).group("pubsub").since("7.0.0")
                .summary("Post a message to a shard channel")
                .handler((ctx, argv) -> ctx.out().integer(pubsub.publishShard(argv[1], argv[2]))));
        t.add(command("mpublish", -3).flags(PUBSUB, LOADING, STALE, FAST).group("pubsub")
                .summary("Posts several messages to a channel, in order (Kvrocks); returns the receivers summed.")
                .handler((ctx, argv) -> {
                    long receivers = 0;
                    for (int i = 2; i < argv.length; i++) {
                        receivers += pubsub.publish(argv[1], argv[i]);
                    }
                    ctx.out().integer(receivers);
                }));
        t.add(command("pubsub", -2).group("pubsub").since("2.8.0")
                .summary("A container for Pub/Sub commands.")
                .subcommand(command("channels", -2).flags(PUBSUB, LOADING, STALE).since("2.8.0")
                        .summary("Returns the active channels.")
                        .handler((ctx, argv) -> channels(ctx, argv, pubsub, PubSub.Kind.CHANNEL)))
                .subcommand(command("shardchannels", -2).flags(PUBSUB, LOADING, STALE).since("7.0.0")
                        .summary("Returns the active shard channels.")
                        .handler((ctx, argv) -> channels(ctx, argv, pubsub, PubSub.Kind.SHARD)))
                .subcommand(command("numpat", 2).flags(PUBSUB, LOADING, STALE).since("2.8.0")
                        .summary("Returns a count of unique pattern subscriptions.")
                        .handler((ctx, argv) -> ctx.out().integer(pubsub.patternCount())))
                .subcommand(command("numsub", -2).flags(PUBSUB, LOADING, STALE).since("2.8.0")
                        .summary("Returns a count of subscribers to channels.")
                        .handler((ctx, argv) -> numsub(ctx, argv, pubsub, PubSub.Kind.CHANNEL)))
                .subcommand(command("shardnumsub", -2).flags(PUBSUB, LOADING, STALE).since("7.0.0")
                        .summary("Returns the count of subscribers of shard channels.")
                        .handler((ctx, argv) -> numsub(ctx, argv, pubsub, PubSub.Kind.SHARD)))
                .subcommand(command("help", 2).flags(LOADING, STALE).since("6.2.0")
                        .summary("Returns helpful text about the different subcommands.")
                        .handler((ctx, argv) -> ServerCommands.help(ctx.out(), "PUBSUB",
                                "CHANNELS [<pattern>]",
                                "    Return the currently active channels matching a <pattern> (default: '*').",
                                "NUMPAT",
                                "    Return number of subscriptions to patterns.",
                                "NUMSUB [<channel> ...]",
                                "    Return the number of subscribers for the specified channels, excluding",
                                "    pattern subscriptions(default: no channels).",
                                "SHARDCHANNELS [<pattern>]",
                                "    Return the currently active shard level channels matching a <pattern> (default: '*').",
                                "SHARDNUMSUB [<shardchannel> ...]",
                                "    Return the number of subscribers for the specified shard level channel(s)"))));
    }

    private static void subscribe(ExecContext ctx, byte[][] argv, PubSub pubsub, PubSub.Kind kind) {
        ClientSession client = ctx.client();
        for (int i = 1; i < argv.length; i++) {
            pubsub.subscribe(client, kind, argv[i]);
            PubSub.confirm(ctx.out(), kind.subscribeWord, argv[i], count(client, kind));
        }
    }

    private static void unsubscribe(ExecContext ctx, byte[][] argv, PubSub pubsub, PubSub.Kind kind) {
        ClientSession client = ctx.client();
        Reply out = ctx.out();
        if (argv.length == 1) {
            List<byte[]> names = client.subscribedToAnything() ? client.subscriptions().names(kind) : List.of();
            if (names.isEmpty()) {
                PubSub.confirm(out, kind.unsubscribeWord, null, count(client, kind));
                return;
            }
            for (byte[] name : names) {
                pubsub.unsubscribe(client, kind, name);
                PubSub.confirm(out, kind.unsubscribeWord, name, count(client, kind));
            }
            return;
        }
        for (int i = 1; i < argv.length; i++) {
            pubsub.unsubscribe(client, kind, argv[i]);
            PubSub.confirm(out, kind.unsubscribeWord, argv[i], count(client, kind));
        }
    }

    /** The count a confirmation carries: channels and patterns together, shard channels on their own. */
    private static int count(ClientSession client, PubSub.Kind kind) {
        if (!client.subscribedToAnything()) {
            return 0;
        }
        Subscriptions s = client.subscriptions();
        return kind == PubSub.Kind.SHARD ? s.shardChannels() : s.classic();
    }

    private static void channels(ExecContext ctx, byte[][] argv, PubSub pubsub, PubSub.Kind kind) throws ErrorReply {
        if (argv.length > 3) {
            throw new ErrorReply("ERR unknown subcommand or wrong number of arguments for '"
                    + Bytes.str(argv[1]) + "'. Try PUBSUB HELP.");
        }
        ctx.out().bulkArray(pubsub.activeChannels(kind, argv.length == 3 ? argv[2] : null));
    }

    private static void numsub(ExecContext ctx, byte[][] argv, PubSub pubsub, PubSub.Kind kind) {
        Reply out = ctx.out();
        out.arrayHeader(2L * (argv.length - 2)); // a flat array in RESP3 too, as in Redis
        for (int i = 2; i < argv.length; i++) {
            out.bulk(argv[i]);
            out.integer(pubsub.subscriberCount(kind, argv[i]));
        }
    }
}
