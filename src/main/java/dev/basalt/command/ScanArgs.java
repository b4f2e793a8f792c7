package dev.basalt.command;

import static dev.basalt.command.Arguments.integer;

import dev.basalt.protocol.ErrorReply;
import dev.basalt.protocol.Reply;
import dev.basalt.storage.StorageException;
import dev.basalt.types.CollectionType;
import dev.basalt.types.ScanPage;
import dev.basalt.util.Bytes;

/**
 * The options of SCAN, HSCAN, SSCAN and ZSCAN (COUNT, MATCH, and TYPE for SCAN), and the cursor
 * their replies start with. Cursors are numeric, as Redis clients expect; see ScanCursors.
 */
record ScanArgs(long count, byte[] pattern, String type) {
    /** Parses the options from argv[from]; pattern is null when it matches everything. */
    static ScanArgs parse(byte[][] argv, int from, boolean typeAllowed) throws ErrorReply {
        long count = 10;
        byte[] pattern = null;
        String type = null;
        for (int i = from; i < argv.length; i += 2) {
            boolean hasValue = i + 1 < argv.length;
            if (Bytes.eq(argv[i], "count") && hasValue) {
                count = integer(argv[i + 1]);
                if (count < 1) {
                    throw ErrorReply.syntax();
                }
            } else if (Bytes.eq(argv[i], "match") && hasValue) {
                byte[] p = argv[i + 1];
                pattern = p.length == 1 && p[0] == '*' ? null : p;
            } else if (typeAllowed && Bytes.eq(argv[i], "type") && hasValue) {
                type = Bytes.str(argv[i + 1]);
            } else {
                throw ErrorReply.syntax();
            }
        }
        return new ScanArgs(count, pattern, type);
    }

    /**
     * Starts a scan reply: its cursor is "0" once the scan is complete, else one resuming after that
     * position, issued to the calling client.
     */
    static void writeCursor(ExecContext ctx, ScanCursors cursors, byte[] resumeAfter) {
        Reply out = ctx.out();
        out.arrayHeader(2);
        out.bulk(resumeAfter == null ? "0" : Long.toUnsignedString(cursors.save(ctx.client(), resumeAfter)));
    }

    /** One page of a collection's elements: HashType::scan, SetType::scan, ZSetType::scan. */
    @FunctionalInterface
    interface CollectionScan<E> {
        ScanPage<E> page(byte[] key, byte[] after, long count, byte[] pattern) throws StorageException, ErrorReply;
    }

    /** Writes one element of a scan reply as bulk strings. */
    @FunctionalInterface
    interface ElementReply<E> {
        void write(Reply out, E element);
    }

    /**
     * HSCAN, SSCAN and ZSCAN: {@code key cursor [MATCH pattern] [COUNT count]}. As in Redis, a missing key
     * answers an empty, complete scan before the options are looked at; otherwise one page, each element
     * written as repliesPerElement bulk strings in one flat array (also in RESP3).
     */
    static <E> void collection(ExecContext ctx, byte[][] argv, ScanCursors cursors, CollectionType<?> type,
            CollectionScan<E> scan, int repliesPerElement, ElementReply<E> element) throws ErrorReply, StorageException {
        long cursor = ScanCursors.parse(argv[2]);
        Reply out = ctx.out();
        if (type.metadata(argv[1]) == null) {
            writeEmpty(out);
            return;
        }
        ScanArgs options = parse(argv, 3, false);
        byte[] after = cursors.position(ctx.client(), cursor);
        ScanPage<E> page = scan.page(argv[1], after, options.count(), options.pattern());
        writeCursor(ctx, cursors, page.resumeAfter());
        out.arrayHeader((long) page.elements().size() * repliesPerElement);
        for (E e : page.elements()) {
            element.write(out, e);
        }
    }

    /** The complete, empty scan of a missing key. */
    static void writeEmpty(Reply out) {
        out.arrayHeader(2);
        out.bulk("0");
        out.arrayHeader(0);
    }
}
