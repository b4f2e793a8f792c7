package dev.basalt.command;

import static dev.basalt.command.Arguments.integer;

import dev.basalt.protocol.ErrorReply;
import dev.basalt.protocol.Reply;
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

    /** The complete, empty scan of a missing key. */
    static void writeEmpty(Reply out) {
        out.arrayHeader(2);
        out.bulk("0");
        out.arrayHeader(0);
    }
}
