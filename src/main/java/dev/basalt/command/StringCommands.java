package dev.basalt.command;

import static dev.basalt.command.Arguments.integer;
import static dev.basalt.command.CommandFlag.FAST;
import static dev.basalt.command.CommandFlag.READONLY;
import static dev.basalt.command.CommandFlag.WRITE;
import static dev.basalt.command.CommandSpec.command;

import dev.basalt.config.Config;
import dev.basalt.config.KeyspaceEventFlags;
import dev.basalt.protocol.ErrorReply;
import dev.basalt.protocol.Reply;
import dev.basalt.storage.StorageException;
import dev.basalt.types.StringType;
import dev.basalt.util.Bytes;
import java.util.Arrays;
import java.util.List;

/** The string commands (Redis 7.0 semantics), plus Kvrocks's CAS and CAD. */
final class StringCommands {
    private StringCommands() {
    }

    private static final String GROUP = "string";

    static void register(CommandTable t, Config config) {
        t.add(command("get", 2).flags(READONLY, FAST).keys(1, 1, 1).group(GROUP).since("1.0.0")
                .summary("Get the value of a key").handler((ctx, argv) -> get(ctx, argv, config)));
        t.add(command("set", -3).event(KeyspaceEventFlags.STRING, "set").flags(WRITE).keys(1, 1, 1).group(GROUP).since("1.0.0")
                .summary("Set the string value of a key").handler(StringCommands::set));
        t.add(command("setnx", 3).event(KeyspaceEventFlags.STRING, "set").flags(WRITE, FAST).keys(1, 1, 1).group(GROUP).since("1.0.0")
                .summary("Set the value of a key, only if the key does not exist").handler(StringCommands::setnx));
        t.add(command("setex", 4).event(KeyspaceEventFlags.STRING, "set").flags(WRITE).keys(1, 1, 1).group(GROUP).since("2.0.0")
                .summary("Set the value and expiration of a key").handler(((ctx, argv) -> setex(ctx, argv, true))));
        t.add(command("psetex", 4).event(KeyspaceEventFlags.STRING, "set").flags(WRITE).keys(1, 1, 1).group(GROUP).since("2.6.0")
                .summary("Set the value and expiration in milliseconds of a key")
                .handler(((ctx, argv) -> setex(ctx, argv, false))));
        t.add(command("mget", -2).flags(READONLY, FAST).keys(1, -1, 1).group(GROUP).since("1.0.0")
                .summary("Get the values of all the given keys").handler(StringCommands::mget));
        t.add(command("mset", -3).event(KeyspaceEventFlags.STRING, "set").flags(WRITE).keys(1, -1, 2).group(GROUP).since("1.0.1")
                .summary("Set multiple keys to multiple values").handler(StringCommands::mset));
        t.add(command("msetnx", -3).event(KeyspaceEventFlags.STRING, "set").flags(WRITE).keys(1, -1, 2).group(GROUP).since("1.0.1")
                .summary("Set multiple keys to multiple values, only if none of the keys exist")
                .handler(StringCommands::msetnx));
        t.add(command("getset", 3).event(KeyspaceEventFlags.STRING, "set").flags(WRITE, FAST).keys(1, 1, 1).group(GROUP).since("1.0.0")
                .summary("Set the string value of a key and return its old value").handler(StringCommands::getset));
        t.add(command("getdel", 2).event(KeyspaceEventFlags.GENERIC, "del").flags(WRITE, FAST).keys(1, 1, 1).group(GROUP).since("6.2.0")
                .summary("Get the value of a key and delete the key").handler(StringCommands::getdel));
        t.add(command("getex", -2).flags(WRITE, FAST).keys(1, 1, 1).group(GROUP).since("6.2.0")
                .summary("Get the value of a key and optionally set its expiration")
                .handler((ctx, argv) -> getex(ctx, argv, config)));
        t.add(command("append", 3).event(KeyspaceEventFlags.STRING, "append").flags(WRITE, FAST).keys(1, 1, 1).group(GROUP).since("2.0.0")
                .summary("Append a value to a key").handler((ctx, argv) -> append(ctx, argv, config)));
        t.add(command("strlen", 2).flags(READONLY, FAST).keys(1, 1, 1).group(GROUP).since("2.2.0")
                .summary("Get the length of the value stored in a key").handler(StringCommands::strlen));
        t.add(command("incr", 2).event(KeyspaceEventFlags.STRING, "incrby").flags(WRITE, FAST).keys(1, 1, 1).group(GROUP).since("1.0.0")
                .summary("Increment the integer value of a key by one")
                .handler(((ctx, argv) -> incrBy(ctx, argv[1], 1))));
        t.add(command("decr", 2).event(KeyspaceEventFlags.STRING, "incrby").flags(WRITE, FAST).keys(1, 1, 1).group(GROUP).since("1.0.0")
                .summary("Decrement the integer value of a key by one")
                .handler(((ctx, argv) -> incrBy(ctx, argv[1], -1))));
        t.add(command("incrby", 3).event(KeyspaceEventFlags.STRING, "incrby").flags(WRITE, FAST).keys(1, 1, 1).group(GROUP).since("1.0.0")
                .summary("Increment the integer value of a key by the given amount")
                .handler(((ctx, argv) -> incrBy(ctx, argv[1], integer(argv[2])))));
        t.add(command("decrby", 3).event(KeyspaceEventFlags.STRING, "incrby").flags(WRITE, FAST).keys(1, 1, 1).group(GROUP).since("1.0.0")
                .summary("Decrement the integer value of a key by the given number").handler(StringCommands::decrby));
        t.add(command("incrbyfloat", 3).event(KeyspaceEventFlags.STRING, "incrbyfloat").flags(WRITE, FAST).keys(1, 1, 1).group(GROUP).since("2.6.0")
                .summary("Increment the float value of a key by the given amount").handler(StringCommands::incrbyfloat));
        t.add(command("getrange", 4).flags(READONLY).keys(1, 1, 1).group(GROUP).since("2.4.0")
                .summary("Get a substring of the string stored at a key").handler(StringCommands::getrange));
        t.add(command("substr", 4).flags(READONLY).keys(1, 1, 1).group(GROUP).since("1.0.0")
                .summary("Get a substring of the string stored at a key").handler(StringCommands::getrange));
        t.add(command("setrange", 4).event(KeyspaceEventFlags.STRING, "setrange").flags(WRITE).keys(1, 1, 1).group(GROUP).since("2.2.0")
                .summary("Overwrite part of a string at key starting at the specified offset")
                .handler((ctx, argv) -> setrange(ctx, argv, config)));
        t.add(command("lcs", -3).flags(READONLY).keys(1, 2, 1).group(GROUP).since("7.0.0")
                .summary("Find longest common substring").handler((ctx, argv) -> lcs(ctx, argv, config)));
        t.add(command("cas", -4).event(KeyspaceEventFlags.STRING, "set").flags(WRITE).keys(1, 1, 1).group(GROUP).since("2.0.5")
                .summary("Set the value of a key to new_value if it currently holds old_value (Kvrocks)")
                .handler(StringCommands::cas));
        t.add(command("cad", 3).event(KeyspaceEventFlags.GENERIC, "del").flags(WRITE).keys(1, 1, 1).group(GROUP).since("2.0.5")
                .summary("Delete a key if it currently holds the given value (Kvrocks)").handler(StringCommands::cad));
    }

    // ---- argument helpers ----

    private static long maxBulkLength(Config config) {
        return config.getLong("proto-max-bulk-len");
    }

    private static ErrorReply invalidExpire(String command) {
        return new ErrorReply("ERR invalid expire time in '" + command + "' command");
    }

    /**
     * An expiry argument as absolute Unix ms, with Redis 7.0's checks: it must be a positive integer,
     * seconds must not overflow when turned into ms, nor relative times when the clock is added.
     */
    static long expireAtMs(byte[] arg, boolean seconds, boolean relative, long nowMs, String command)
            throws ErrorReply {
        long v = integer(arg);
        if (v <= 0 || (seconds && v > Long.MAX_VALUE / 1000)) {
            throw invalidExpire(command);
        }
        if (seconds) {
            v *= 1000;
        }
        if (relative) {
            v += nowMs; // wraps negative on overflow, as Redis's check expects
        }
        if (v <= 0) {
            throw invalidExpire(command);
        }
        return v;
    }

    private static final int NX = 1;
    private static final int XX = 1 << 1;
    private static final int GET = 1 << 2;
    private static final int KEEPTTL = 1 << 3;
    private static final int PERSIST = 1 << 4;
    private static final int EX = 1 << 5;
    private static final int PX = 1 << 6;
    private static final int EXAT = 1 << 7;
    private static final int PXAT = 1 << 8;
    private static final int ANY_EXPIRY = EX | PX | EXAT | PXAT;

    /** SET's and GETEX's options: the flags seen and the expiry argument (null if none). */
    private record Options(int flags, byte[] expiry) {
        boolean has(int flag) {
            return (flags & flag) != 0;
        }

        /** The absolute expiry the EX/PX/EXAT/PXAT option asks for. */
        long expireAtMs(long nowMs, String command) throws ErrorReply {
            return StringCommands.expireAtMs(expiry, has(EX) || has(EXAT), has(EX) || has(PX), nowMs, command);
        }
    }

    /**
     * Redis 7.0's option parser shared by SET (from argv[3]) and GETEX (from argv[2]): an option is
     * accepted only if nothing incompatible came before it (repeating the same one is fine); an
     * expiry keyword needs a following argument. Anything else is a syntax error.
     */
    private static Options parseOptions(byte[][] argv, boolean forSet) throws ErrorReply {
        int flags = 0;
        byte[] expiry = null;
        for (int j = forSet ? 3 : 2; j < argv.length; j++) {
            byte[] opt = argv[j];
            boolean hasNext = j + 1 < argv.length;
            if (forSet && Bytes.eq(opt, "nx") && (flags & XX) == 0) {
                flags |= NX;
            } else if (forSet && Bytes.eq(opt, "xx") && (flags & NX) == 0) {
                flags |= XX;
            } else if (forSet && Bytes.eq(opt, "get")) {
                flags |= GET;
            } else if (forSet && Bytes.eq(opt, "keepttl") && (flags & (PERSIST | ANY_EXPIRY)) == 0) {
                flags |= KEEPTTL;
            } else if (!forSet && Bytes.eq(opt, "persist") && (flags & (KEEPTTL | ANY_EXPIRY)) == 0) {
                flags |= PERSIST;
            } else if (hasNext && expiryKeyword(opt) != 0
                    && (flags & (KEEPTTL | PERSIST | (ANY_EXPIRY & ~expiryKeyword(opt)))) == 0) {
                flags |= expiryKeyword(opt);
                expiry = argv[++j];
            } else {
                throw ErrorReply.syntax();
            }
        }
        return new Options(flags, expiry);
    }

    private static int expiryKeyword(byte[] opt) {
        if (Bytes.eq(opt, "ex")) {
            return EX;
        }
        if (Bytes.eq(opt, "px")) {
            return PX;
        }
        if (Bytes.eq(opt, "exat")) {
            return EXAT;
        }
        if (Bytes.eq(opt, "pxat")) {
            return PXAT;
        }
        return 0;
    }

    // ---- handlers ----

    /** Kvrocks's max-bitmap-to-string-mb: how long a bitmap GET may turn into a string. */
    private static long maxBitmapString(Config config) {
        return config.getLong("max-bitmap-to-string-mb") << 20;
    }

    private static void get(ExecContext ctx, byte[][] argv, Config config) throws ErrorReply, StorageException {
        ctx.out().bulk(new StringType(ctx.txn()).get(argv[1], maxBitmapString(config)));
    }

    private static void set(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        Options o = parseOptions(argv, true);
        long expireAt = o.expiry() != null ? o.expireAtMs(ctx.txn().nowMs(), "set") : 0;
        StringType.Condition condition = o.has(NX) ? StringType.Condition.IF_ABSENT
                : o.has(XX) ? StringType.Condition.IF_PRESENT : StringType.Condition.ALWAYS;
        StringType.SetOutcome r = new StringType(ctx.txn())
                .set(argv[1], argv[2], condition, expireAt, o.has(KEEPTTL), o.has(GET));
        if (r.written() && expireAt > 0) {
            ctx.notify(KeyspaceEventFlags.GENERIC, "expire", argv[1]);
        }
        if (o.has(GET)) {
            ctx.out().bulk(r.previous());
        } else if (r.written()) {
            ctx.out().ok();
        } else {
            ctx.out().nullBulk();
        }
    }

    private static void setnx(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        ctx.out().integer(new StringType(ctx.txn()).setIfAbsent(argv[1], argv[2]) ? 1 : 0);
    }

    private static void setex(ExecContext ctx, byte[][] argv, boolean seconds) throws ErrorReply, StorageException {
        long expireAt = expireAtMs(argv[2], seconds, true, ctx.txn().nowMs(), seconds ? "setex" : "psetex");
        new StringType(ctx.txn()).set(argv[1], argv[3], expireAt);
        ctx.notify(KeyspaceEventFlags.GENERIC, "expire", argv[1]);
        ctx.out().ok();
    }

    private static void mget(ExecContext ctx, byte[][] argv) throws StorageException {
        List<byte[]> values = new StringType(ctx.txn()).mget(Arrays.asList(argv).subList(1, argv.length));
        ctx.out().arrayHeader(values.size());
        for (byte[] v : values) {
            ctx.out().bulk(v);
        }
    }

    private static List<byte[]> pairs(byte[][] argv, String name) throws ErrorReply {
        if (argv.length % 2 == 0) {
            throw ErrorReply.wrongArgs(name);
        }
        return Arrays.asList(argv).subList(1, argv.length);
    }

    private static void mset(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        new StringType(ctx.txn()).mset(pairs(argv, "mset"));
        ctx.out().ok();
    }

    private static void msetnx(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        ctx.out().integer(new StringType(ctx.txn()).msetIfNoneExist(pairs(argv, "msetnx")) ? 1 : 0);
    }

    private static void getset(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        ctx.out().bulk(new StringType(ctx.txn()).getSet(argv[1], argv[2]));
    }

    private static void getdel(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        ctx.out().bulk(new StringType(ctx.txn()).getDel(argv[1]));
    }

    private static void getex(ExecContext ctx, byte[][] argv, Config config) throws ErrorReply, StorageException {
        Options o = parseOptions(argv, false);
        long now = ctx.txn().nowMs();
        // Redis validates the expiry only once the key turned out to exist and be a string.
        StringType.ExpiryResolver expiry = o.expiry() == null ? null : () -> o.expireAtMs(now, "getex");
        byte[] value = new StringType(ctx.txn()).getEx(argv[1], expiry, o.has(PERSIST), maxBitmapString(config));
        if (value != null && (expiry != null || o.has(PERSIST))) {
            // A time already past deletes the key: the "del" check after the command says so.
            ctx.notify(KeyspaceEventFlags.GENERIC, o.has(PERSIST) ? "persist" : "expire", argv[1]);
        }
        ctx.out().bulk(value);
    }

    private static void append(ExecContext ctx, byte[][] argv, Config config) throws ErrorReply, StorageException {
        ctx.out().integer(new StringType(ctx.txn()).append(argv[1], argv[2], maxBulkLength(config)));
    }

    private static void strlen(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        ctx.out().integer(new StringType(ctx.txn()).strlen(argv[1]));
    }

    private static void incrBy(ExecContext ctx, byte[] key, long delta) throws ErrorReply, StorageException {
        ctx.out().integer(new StringType(ctx.txn()).incrBy(key, delta));
    }

    private static void decrby(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        long delta = integer(argv[2]);
        if (delta == Long.MIN_VALUE) {
            throw new ErrorReply("ERR decrement would overflow");
        }
        incrBy(ctx, argv[1], -delta);
    }

    private static void incrbyfloat(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        ctx.out().bulk(new StringType(ctx.txn()).incrByFloat(argv[1], argv[2]));
    }

    private static void getrange(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        long start = integer(argv[2]);
        long end = integer(argv[3]);
        ctx.out().bulk(new StringType(ctx.txn()).getRange(argv[1], start, end));
    }

    private static void setrange(ExecContext ctx, byte[][] argv, Config config) throws ErrorReply, StorageException {
        long offset = integer(argv[2]);
        if (offset < 0) {
            throw new ErrorReply("ERR offset is out of range");
        }
        ctx.out().integer(new StringType(ctx.txn()).setRange(argv[1], offset, argv[3], maxBulkLength(config)));
    }

    private static void lcs(ExecContext ctx, byte[][] argv, Config config) throws ErrorReply, StorageException {
        StringType strings = new StringType(ctx.txn());
        byte[] a = strings.lcsOperand(argv[1]);
        byte[] b = strings.lcsOperand(argv[2]);
        boolean idx = false;
        boolean len = false;
        boolean withMatchLen = false;
        long minMatchLen = 0;
        for (int j = 3; j < argv.length; j++) {
            byte[] opt = argv[j];
            if (Bytes.eq(opt, "idx")) {
                idx = true;
            } else if (Bytes.eq(opt, "len")) {
                len = true;
            } else if (Bytes.eq(opt, "withmatchlen")) {
                withMatchLen = true;
            } else if (Bytes.eq(opt, "minmatchlen") && j + 1 < argv.length) {
                minMatchLen = Math.max(0, integer(argv[++j]));
            } else {
                throw ErrorReply.syntax();
            }
        }
        if (idx && len) {
            throw new ErrorReply("ERR If you want both the length and indexes, please just use IDX.");
        }
        // The dynamic programme's table holds (|a|+1)*(|b|+1) 4-byte cells; Redis caps it at proto-max-bulk-len.
        long cells = ((long) a.length + 1) * ((long) b.length + 1);
        if (cells > (Integer.MAX_VALUE - 16) || cells * 4 > maxBulkLength(config)) {
            throw new ErrorReply("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len");
        }
        Reply out = ctx.out();
        if (len) {
            out.integer(StringType.lcsLength(a, b));
            return;
        }
        StringType.LcsResult r = StringType.lcs(a, b, minMatchLen);
        if (idx) {
            out.mapHeader(2);
            out.bulk("matches");
            out.arrayHeader(r.matches().size());
            for (StringType.LcsMatch m : r.matches()) {
                out.arrayHeader(withMatchLen ? 3 : 2);
                out.arrayHeader(2);
                out.integer(m.aStart());
                out.integer(m.aEnd());
                out.arrayHeader(2);
                out.integer(m.bStart());
                out.integer(m.bEnd());
                if (withMatchLen) {
                    out.integer(m.length());
                }
            }
            out.bulk("len");
            out.integer(r.length());
        } else {
            out.bulk(r.sequence());
        }
    }

    /**
     * Kvrocks's CAS key old new [EX s | PX ms | EXAT s | PXAT ms]: the same expiry option may repeat
     * (the last wins), two different ones are a syntax error. Without one the new value has no expiry.
     */
    private static void cas(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        int kind = 0;
        byte[] expiry = null;
        for (int j = 4; j < argv.length; j++) {
            int k = expiryKeyword(argv[j]);
            if (k == 0 || (kind != 0 && kind != k) || j + 1 >= argv.length) {
                throw ErrorReply.syntax();
            }
            kind = k;
            expiry = argv[++j];
        }
        long expireAt = 0;
        if (expiry != null) {
            expireAt = expireAtMs(expiry, kind == EX || kind == EXAT, kind == EX || kind == PX, ctx.txn().nowMs(), "cas");
        }
        ctx.out().integer(new StringType(ctx.txn()).compareAndSet(argv[1], argv[2], argv[3], expireAt));
    }

    private static void cad(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        ctx.out().integer(new StringType(ctx.txn()).compareAndDelete(argv[1], argv[2]));
    }
}
