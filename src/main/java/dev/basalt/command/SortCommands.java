package dev.basalt.command;

import static dev.basalt.command.CommandFlag.KEYSPACE;
import static dev.basalt.command.CommandFlag.READONLY;
import static dev.basalt.command.CommandFlag.WRITE;
import static dev.basalt.command.CommandSpec.command;

import dev.basalt.config.KeyspaceEventFlags;
import dev.basalt.protocol.ErrorReply;
import dev.basalt.storage.StorageException;
import dev.basalt.types.Sorter;
import dev.basalt.util.Bytes;
import java.util.ArrayList;
import java.util.List;

/**
 * SORT and SORT_RO, Redis 7.0 semantics.
 *
 * <p>Locking: besides the sorted key and the STORE destination (the keys the extractor names), BY
 * and GET patterns read keys derived from the elements, which cannot be known before the sorted key
 * is read (Redis declares them as "unknown" key specs). Per-key locks would leave those reads open to
 * concurrent writers, so a SORT could see half of another command's or transaction's writes and sort
 * by values that never existed together. Both commands therefore carry KEYSPACE: they run alone, like
 * a Redis command does. The key extractor only serves COMMAND GETKEYS (and would give the right keys
 * to lock if SORT ever ran under per-key locks): the sorted key, then the STORE destination the
 * handler will write.
 */
final class SortCommands {
    private SortCommands() {
    }

    private static final String GROUP = "generic";

    static void register(CommandTable t) {
        t.add(command("sort", -2).event(KeyspaceEventFlags.LIST, "sortstore").flags(WRITE, KEYSPACE).keys(1, 1, 1).keys(SortCommands::sortKeys).group(GROUP)
                .since("1.0.0").summary("Sort the elements in a list, set or sorted set, optionally storing the result")
                .handler((ctx, argv) -> sort(ctx, argv, false)));
        t.add(command("sort_ro", -2).flags(READONLY, KEYSPACE).keys(1, 1, 1).keys(argv -> List.of(argv[1]))
                .group(GROUP).since("7.0.0")
                .summary("Sort the elements in a list, set or sorted set. Read-only variant of SORT.")
                .handler((ctx, argv) -> sort(ctx, argv, true)));
    }

    private static void sort(ExecContext ctx, byte[][] argv, boolean readOnly)
            throws ErrorReply, StorageException {
        Sorter.Options options = parse(argv, readOnly);
        Sorter sorter = new Sorter(ctx.txn());
        List<byte[]> result = sorter.sort(argv[1], options);
        if (options.store() != null) {
            ctx.out().integer(sorter.store(options.store(), result));
        } else {
            ctx.out().bulkArray(result); // a GET that found nothing is a null
        }
    }

    /**
     * SORT's options, read left to right; the first bad one answers (a syntax error, or LIMIT's not an
     * integer), before the key's type is looked at. A keyword lacking its arguments is a syntax error;
     * SORT_RO has no STORE. Later options override earlier ones, GETs add up.
     */
    static Sorter.Options parse(byte[][] argv, boolean readOnly) throws ErrorReply {
        boolean desc = false;
        boolean alpha = false;
        boolean dontSort = false;
        long limitStart = 0;
        long limitCount = -1;
        byte[] by = null;
        byte[] store = null;
        List<byte[]> gets = new ArrayList<>();
        for (int j = 2; j < argv.length; j++) {
            int left = argv.length - j - 1;
            byte[] a = argv[j];
            if (Bytes.eq(a, "asc")) {
                desc = false;
            } else if (Bytes.eq(a, "desc")) {
                desc = true;
            } else if (Bytes.eq(a, "alpha")) {
                alpha = true;
            } else if (Bytes.eq(a, "limit") && left >= 2) {
                limitStart = Arguments.integer(argv[j + 1]);
                limitCount = Arguments.integer(argv[j + 2]);
                j += 2;
            } else if (!readOnly && Bytes.eq(a, "store") && left >= 1) {
                store = argv[++j];
            } else if (Bytes.eq(a, "by") && left >= 1) {
                by = argv[++j];
                if (!Sorter.sortsBy(by)) {
                    dontSort = true; // stays set even if a later BY has a '*', as in Redis
                }
            } else if (Bytes.eq(a, "get") && left >= 1) {
                gets.add(argv[++j]);
            } else {
                throw ErrorReply.syntax();
            }
        }
        return new Sorter.Options(desc, alpha, limitStart, limitCount, by, dontSort, gets, store);
    }

    /**
     * SORT's keys: the sorted key and, if present, the STORE destination, found as the handler finds
     * them (LIMIT takes two arguments, BY/GET/STORE one, the last STORE wins) but without failing on
     * bad options, so COMMAND GETKEYS answers for any argv. Redis's own key finder differs only when an
     * option's argument is itself an option name ("SORT k STORE get STORE d"), where it can name a key
     * SORT does not write.
     */
    static List<byte[]> sortKeys(byte[][] argv) {
        byte[] store = null;
        for (int j = 2; j < argv.length; j++) {
            int left = argv.length - j - 1;
            byte[] a = argv[j];
            if (Bytes.eq(a, "limit") && left >= 2) {
                j += 2;
            } else if (Bytes.eq(a, "store") && left >= 1) {
                store = argv[++j];
            } else if ((Bytes.eq(a, "by") || Bytes.eq(a, "get")) && left >= 1) {
                j++;
            }
        }
        return store == null ? List.of(argv[1]) : List.of(argv[1], store);
    }
}
