package dev.basalt.command;

import static dev.basalt.command.CommandFlag.FAST;
import static dev.basalt.command.CommandFlag.READONLY;
import static dev.basalt.command.CommandFlag.WRITE;
import static dev.basalt.command.CommandSpec.command;

import dev.basalt.config.KeyspaceEventFlags;
import dev.basalt.types.HyperLogLogType;
import java.util.Arrays;

/** PFADD, PFCOUNT and PFMERGE (Redis 7.0 replies) over {@link HyperLogLogType}. */
final class HyperLogLogCommands {
    private static final String GROUP = "hyperloglog";

    private HyperLogLogCommands() {
    }

    static void register(CommandTable t) {
        t.add(command("pfadd", -2).event(KeyspaceEventFlags.STRING, "pfadd").flags(WRITE, FAST).keys(1, 1, 1).group(GROUP).since("2.8.9")
                .summary("Adds the specified elements to the specified HyperLogLog.")
                .handler((ctx, argv) -> ctx.out().integer(new HyperLogLogType(ctx.txn())
                        .add(argv[1], Arrays.asList(argv).subList(2, argv.length)))));
        t.add(command("pfcount", -2).flags(READONLY).keys(1, -1, 1).group(GROUP).since("2.8.9")
                .summary("Return the approximated cardinality of the set(s) observed by the HyperLogLog at key(s).")
                .handler((ctx, argv) -> ctx.out().integer(new HyperLogLogType(ctx.txn())
                        .count(Arrays.asList(argv).subList(1, argv.length)))));
        t.add(command("pfmerge", -2).event(KeyspaceEventFlags.STRING, "pfadd").flags(WRITE).keys(1, -1, 1).group(GROUP).since("2.8.9")
                .summary("Merge N different HyperLogLogs into a single one.").handler((ctx, argv) -> {
                    new HyperLogLogType(ctx.txn()).merge(argv[1], Arrays.asList(argv).subList(2, argv.length));
                    ctx.out().ok();
                }));
    }
}
