package dev.basalt.command;

import static dev.basalt.command.Arguments.integer;
import static dev.basalt.command.CommandFlag.FAST;
import static dev.basalt.command.CommandFlag.READONLY;
import static dev.basalt.command.CommandFlag.WRITE;
import static dev.basalt.command.CommandSpec.command;

import dev.basalt.config.Config;
import dev.basalt.config.KeyspaceEventFlags;
import dev.basalt.protocol.ErrorReply;
import dev.basalt.storage.StorageException;
import dev.basalt.types.BitField;
import dev.basalt.types.BitmapType;
import dev.basalt.types.BitmapType.BitString;
import dev.basalt.util.Bytes;
import dev.basalt.util.RedisNumbers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The bit commands (Redis 7.0 semantics and error texts, bitops.c) over {@link BitmapType}: on a string
 * they work on its bytes, on a missing key they create a Kvrocks bitmap. Arguments are checked in
 * Redis's order, which decides which error a bad command gets.
 */
final class BitmapCommands {
    private static final String GROUP = "bitmap";
    private static final String BAD_OFFSET = "ERR bit offset is not an integer or out of range";
    private static final String BAD_BIT = "ERR bit is not an integer or out of range";
    private static final String BAD_TYPE =
            "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.";

    private BitmapCommands() {
    }

    static void register(CommandTable t, Config config) {
        t.add(command("setbit", 4).event(KeyspaceEventFlags.STRING, "setbit").flags(WRITE).keys(1, 1, 1).group(GROUP).since("2.2.0")
                .summary("Sets or clears the bit at offset in the string value stored at key")
                .handler((ctx, argv) -> {
                    long offset = bitOffset(argv[2], false, 0, config);
                    long on = bitValue(argv[3]);
                    ctx.out().integer(new BitmapType(ctx.txn()).setBit(argv[1], offset, on == 1) ? 1 : 0);
                }));
        t.add(command("getbit", 3).flags(READONLY, FAST).keys(1, 1, 1).group(GROUP).since("2.2.0")
                .summary("Returns the bit value at offset in the string value stored at key").handler((ctx, argv) -> {
                    long offset = bitOffset(argv[2], false, 0, config);
                    ctx.out().integer(new BitmapType(ctx.txn()).getBit(argv[1], offset) ? 1 : 0);
                }));
        t.add(command("bitcount", -2).flags(READONLY).keys(1, 1, 1).group(GROUP).since("2.6.0")
                .summary("Count set bits in a string")
                .handler(BitmapCommands::bitcount));
        t.add(command("bitpos", -3).flags(READONLY).keys(1, 1, 1).group(GROUP).since("2.8.7")
                .summary("Find first bit set or clear in a string").handler(BitmapCommands::bitpos));
        t.add(command("bitop", -4).event(KeyspaceEventFlags.STRING, "set").flags(WRITE).keys(2, -1, 1).group(GROUP).since("2.6.0")
                .summary("Perform bitwise operations between strings")
                .handler(BitmapCommands::bitop));
        t.add(command("bitfield", -2).event(KeyspaceEventFlags.STRING, "setbit").flags(WRITE).keys(1, 1, 1).group(GROUP).since("3.2.0")
                .summary("Perform arbitrary bitfield integer operations on strings")
                .handler((ctx, argv) -> bitfield(ctx, argv, false, config)));
        t.add(command("bitfield_ro", -2).flags(READONLY, FAST).keys(1, 1, 1).group(GROUP).since("6.0.0")
                .summary("Perform arbitrary bitfield integer operations on strings. Read-only variant of BITFIELD")
                .handler((ctx, argv) -> bitfield(ctx, argv, true, config)));
    }

    /**
     * A bit offset as Redis's getBitOffsetFromArgument reads it ("#n" counts fields of width bits when
     * hashAllowed), within proto-max-bulk-len bytes and Kvrocks's 32-bit offsets.
     */
    private static long bitOffset(byte[] arg, boolean hashAllowed, int bits, Config config) throws ErrorReply {
        boolean hash = hashAllowed && bits > 0 && arg.length > 0 && arg[0] == '#';
        byte[] digits = hash ? Arrays.copyOfRange(arg, 1, arg.length) : arg;
        if (!RedisNumbers.isLong(digits)) {
            throw new ErrorReply(BAD_OFFSET);
        }
        long offset = RedisNumbers.parseLong(digits);
        if (hash) {
            offset *= bits; // wraps like Redis's long long multiplication; a wrapped value fails below
        }
        long limit = Math.min(config.getLong("proto-max-bulk-len"), BitmapType.MAX_BYTES);
        if (offset < 0 || (offset >> 3) >= limit) {
            throw new ErrorReply(BAD_OFFSET);
        }
        return offset;
    }

    /** SETBIT's value: an integer that is 0 or 1. */
    private static long bitValue(byte[] arg) throws ErrorReply {
        if (!RedisNumbers.isLong(arg)) {
            throw new ErrorReply(BAD_BIT);
        }
        long on = RedisNumbers.parseLong(arg);
        if ((on & ~1L) != 0) {
            throw new ErrorReply(BAD_BIT);
        }
        return on;
    }

    /** BIT or BYTE (any case); a syntax error otherwise. */
    private static boolean bitMode(byte[] arg) throws ErrorReply {
        if (Bytes.eq(arg, "bit")) {
            return true;
        }
        if (Bytes.eq(arg, "byte")) {
            return false;
        }
        throw ErrorReply.syntax();
    }

    /** BITCOUNT key [start end [BYTE|BIT]]: the key is looked at before the range is parsed, as in Redis. */
    private static void bitcount(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        BitmapType bitmaps = new BitmapType(ctx.txn());
        BitString v = bitmaps.read(argv[1]);
        if (v == null) {
            ctx.out().integer(0);
            return;
        }
        if (argv.length == 2) {
            ctx.out().integer(bitmaps.count(v));
            return;
        }
        if (argv.length != 4 && argv.length != 5) {
            throw ErrorReply.syntax();
        }
        long start = integer(argv[2]);
        long end = integer(argv[3]);
        if (start < 0 && end < 0 && start > end) {
            ctx.out().integer(0);
            return;
        }
        boolean bitMode = argv.length == 5 && bitMode(argv[4]);
        ctx.out().integer(bitmaps.count(v, start, end, bitMode));
    }

    /** BITPOS key bit [start [end [BYTE|BIT]]]. */
    private static void bitpos(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        long bit = integer(argv[2]);
        if (bit != 0 && bit != 1) {
            throw new ErrorReply("ERR The bit argument must be 1 or 0.");
        }
        BitmapType bitmaps = new BitmapType(ctx.txn());
        BitString v = bitmaps.read(argv[1]);
        if (v == null) {
            ctx.out().integer(bit == 1 ? -1 : 0);
            return;
        }
        if (argv.length > 6) {
            throw ErrorReply.syntax();
        }
        Long start = null;
        Long end = null;
        boolean bitMode = false;
        if (argv.length >= 4) {
            start = integer(argv[3]);
            if (argv.length == 6) {
                bitMode = bitMode(argv[5]);
            }
            if (argv.length >= 5) {
                end = integer(argv[4]);
            }
        }
        ctx.out().integer(bitmaps.position(v, bit == 1, start, end, bitMode));
    }

    /** BITOP AND|OR|XOR|NOT destkey key [key ...]. */
    private static void bitop(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        BitmapType.BitOp op;
        if (Bytes.eq(argv[1], "and")) {
            op = BitmapType.BitOp.AND;
        } else if (Bytes.eq(argv[1], "or")) {
            op = BitmapType.BitOp.OR;
        } else if (Bytes.eq(argv[1], "xor")) {
            op = BitmapType.BitOp.XOR;
        } else if (Bytes.eq(argv[1], "not")) {
            op = BitmapType.BitOp.NOT;
        } else {
            throw ErrorReply.syntax();
        }
        if (op == BitmapType.BitOp.NOT && argv.length != 4) {
            throw new ErrorReply("ERR BITOP NOT must be called with a single source key.");
        }
        List<byte[]> sources = Arrays.asList(argv).subList(3, argv.length);
        ctx.out().integer(new BitmapType(ctx.txn()).bitop(op, argv[1], argv[2], sources));
    }

    /**
     * BITFIELD and BITFIELD_RO: every subcommand is parsed (and its errors reported) before any runs, as
     * Redis does; BITFIELD_RO refuses writes only after that.
     */
    private static void bitfield(ExecContext ctx, byte[][] argv, boolean readOnly, Config config)
            throws ErrorReply, StorageException {
        List<BitField.Operation> ops = new ArrayList<>();
        BitField.Overflow overflow = BitField.Overflow.WRAP;
        boolean writes = false;
        for (int j = 2; j < argv.length; j++) {
            int remaining = argv.length - j - 1;
            byte[] sub = argv[j];
            BitField.Kind kind;
            if (Bytes.eq(sub, "get") && remaining >= 2) {
                kind = BitField.Kind.GET;
            } else if (Bytes.eq(sub, "set") && remaining >= 3) {
                kind = BitField.Kind.SET;
            } else if (Bytes.eq(sub, "incrby") && remaining >= 3) {
                kind = BitField.Kind.INCRBY;
            } else if (Bytes.eq(sub, "overflow") && remaining >= 1) {
                byte[] name = argv[++j];
                if (Bytes.eq(name, "wrap")) {
                    overflow = BitField.Overflow.WRAP;
                } else if (Bytes.eq(name, "sat")) {
                    overflow = BitField.Overflow.SAT;
                } else if (Bytes.eq(name, "fail")) {
                    overflow = BitField.Overflow.FAIL;
                } else {
                    throw new ErrorReply("ERR Invalid OVERFLOW type specified");
                }
                continue;
            } else {
                throw ErrorReply.syntax();
            }
            byte[] type = argv[j + 1];
            boolean signed = type.length > 0 && type[0] == 'i';
            if (type.length == 0 || (type[0] != 'i' && type[0] != 'u')) {
                throw new ErrorReply(BAD_TYPE);
            }
            byte[] width = Arrays.copyOfRange(type, 1, type.length);
            long bits = RedisNumbers.isLong(width) ? RedisNumbers.parseLong(width) : 0;
            if (bits < 1 || bits > (signed ? 64 : 63)) {
                throw new ErrorReply(BAD_TYPE);
            }
            long offset = bitOffset(argv[j + 2], true, (int) bits, config);
            long value = 0;
            if (kind != BitField.Kind.GET) {
                writes = true;
                value = integer(argv[j + 3]);
            }
            ops.add(new BitField.Operation(kind, signed, (int) bits, offset, value, overflow));
            j += kind == BitField.Kind.GET ? 2 : 3;
        }
        if (writes && readOnly) {
            throw new ErrorReply("ERR BITFIELD_RO only supports the GET subcommand");
        }
        List<Long> replies = new BitmapType(ctx.txn()).bitfield(argv[1], ops);
        ctx.out().arrayHeader(replies.size());
        for (Long r : replies) {
            if (r == null) {
                ctx.out().nullBulk();
            } else {
                ctx.out().integer(r);
            }
        }
    }
}
