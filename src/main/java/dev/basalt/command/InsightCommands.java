package dev.basalt.command;

import static dev.basalt.command.CommandFlag.FAST;
import static dev.basalt.command.CommandFlag.KEYSPACE;
import static dev.basalt.command.CommandFlag.LOADING;
import static dev.basalt.command.CommandFlag.READONLY;
import static dev.basalt.command.CommandFlag.STALE;
import static dev.basalt.command.CommandSpec.command;

import dev.basalt.protocol.ErrorReply;
import dev.basalt.protocol.Reply;
import dev.basalt.storage.Storage;
import dev.basalt.storage.StorageException;
import dev.basalt.types.KeySize;
import dev.basalt.util.Bytes;
import dev.basalt.util.Json;
import java.util.Locale;

/** What the server and its database look like: DBSIZE [SCAN], DISK USAGE, MEMORY USAGE, STATS, ROLE. */
final class InsightCommands {
    private InsightCommands() {
    }

    static void register(CommandTable t, Storage storage, DbJobs jobs) {
        t.add(command("dbsize", -1).flags(READONLY, FAST, KEYSPACE).group("server")
                .summary("Returns the number of keys in the namespace; DBSIZE SCAN recounts its statistics (Kvrocks).")
                .handler((ctx, argv) -> dbsize(ctx, argv, storage, jobs)));
        t.add(command("disk", 3).flags(READONLY).keys(2, 2, 1).group("server")
                .summary("Returns RocksDB's estimate of the bytes a key takes (Kvrocks's DISK USAGE key).")
                .handler(InsightCommands::keySize));
        t.add(command("memory", 3).flags(READONLY).keys(2, 2, 1).group("server")
                .summary("The same estimate as DISK USAGE, as Kvrocks answers MEMORY USAGE key.")
                .handler(InsightCommands::keySize));
        t.add(command("stats", 1).flags(READONLY).group("server")
                .summary("Returns RocksDB's statistics as JSON (Kvrocks).")
                .handler((ctx, argv) -> ctx.out().bulk(statsJson(storage))));
        t.add(command("role", 1).flags(LOADING, STALE, FAST).group("server").since("2.8.12")
                .summary("Returns the replication role: master, with the latest sequence number and no replicas.")
                .handler((ctx, argv) -> {
                    Reply out = ctx.out();
                    out.arrayHeader(2);
                    out.bulk("master");
                    out.bulk(Long.toString(storage.latestSequenceNumber()));
                }));
    }

    /**
     * DBSIZE answers from the exact counts kept at commit time; DBSIZE SCAN starts Kvrocks's background count
     * of the namespace's keys, expiries and expired keys, which INFO keyspace then shows.
     */
    private static void dbsize(ExecContext ctx, byte[][] argv, Storage storage, DbJobs jobs) throws ErrorReply {
        if (argv.length == 1) {
            try {
                ctx.out().integer(storage.keyCount(ctx.txn()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ErrorReply("ERR interrupted while counting keys");
            }
            return;
        }
        if (argv.length == 2 && Bytes.eq(argv[1], "scan")) {
            String error = jobs.startDbsizeScan(ctx.client().namespace());
            if (error != null) {
                throw new ErrorReply("ERR " + error);
            }
            ctx.out().ok();
            return;
        }
        throw new ErrorReply("ERR DBSIZE subcommand only supports scan");
    }

    private static void keySize(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        if (!Bytes.eq(argv[1], "usage")) {
            throw new ErrorReply("ERR Unknown operation");
        }
        long size = KeySize.approximate(ctx.txn(), argv[2]);
        if (size < 0) {
            ctx.out().nullBulk();
        } else {
            ctx.out().integer(size);
        }
    }

    /**
     * RocksDB's tickers (name: count) and histograms (name: [P50, P95, P99, P100, COUNT, SUM]) as one JSON
     * object, as Kvrocks's STATS gives them; the names are RocksDB's own, read from its statistics text.
     */
    static String statsJson(Storage storage) {
        StringBuilder sb = new StringBuilder("{");
        for (String line : storage.statisticsText().split("\n")) {
            String[] w = line.trim().split("\\s+");
            if (w.length < 4) {
                continue;
            }
            String value;
            if (w.length == 4 && w[1].equals("COUNT") && w[2].equals(":")) {
                value = w[3];
            } else if (w.length >= 19 && w[1].equals("P50")) {
                // name P50 : a P95 : b P99 : c P100 : d COUNT : e SUM : f
                value = "[" + number(w[3]) + "," + number(w[6]) + "," + number(w[9]) + "," + number(w[12]) + ","
                        + w[15] + "," + w[18] + "]";
            } else {
                continue;
            }
            if (sb.length() > 1) {
                sb.append(',');
            }
            sb.append(Json.quote(w[0])).append(':').append(value);
        }
        return sb.append('}').toString();
    }

    /** A histogram's percentile as JSON writes a double: "1.0", not "1.000000". */
    private static String number(String text) {
        double d = Double.parseDouble(text);
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.format(Locale.ROOT, "%.1f", d) : Double.toString(d);
    }
}
