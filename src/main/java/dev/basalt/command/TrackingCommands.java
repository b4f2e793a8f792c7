package dev.basalt.command;

import dev.basalt.protocol.ErrorReply;
import dev.basalt.protocol.Reply;
import dev.basalt.util.Bytes;
import java.util.ArrayList;
import java.util.List;

/** CLIENT TRACKING, CACHING, GETREDIR and TRACKINGINFO (registered as CLIENT subcommands). */
final class TrackingCommands {
    private TrackingCommands() {
    }

    /** CLIENT TRACKING ON|OFF [REDIRECT id] [PREFIX p ...] [BCAST] [OPTIN] [OPTOUT] [NOLOOP], Redis's checks in Redis's order. */
    static void tracking(ExecContext ctx, byte[][] argv, ClientTracking service, ClientDirectory clients)
            throws ErrorReply {
        ClientSession c = ctx.client();
        boolean bcast = false;
        boolean optIn = false;
        boolean optOut = false;
        boolean noLoop = false;
        long redirect = 0;
        boolean redirectGiven = false;
        List<byte[]> prefixes = new ArrayList<>();
        for (int i = 3; i < argv.length; i++) {
            boolean more = i + 1 < argv.length;
            if (Bytes.eq(argv[i], "redirect") && more) {
                if (redirectGiven) {
                    throw new ErrorReply("ERR A client can only redirect to a single other client");
                }
                redirect = Arguments.integer(argv[++i]);
                redirectGiven = true;
                if (redirect != c.id() && redirect != 0 && clients.get(redirect) == null) {
                    throw new ErrorReply("ERR The client ID you want redirect to does not exist");
                }
            } else if (Bytes.eq(argv[i], "bcast")) {
                bcast = true;
            } else if (Bytes.eq(argv[i], "optin")) {
                optIn = true;
            } else if (Bytes.eq(argv[i], "optout")) {
                optOut = true;
            } else if (Bytes.eq(argv[i], "noloop")) {
                noLoop = true;
            } else if (Bytes.eq(argv[i], "prefix") && more) {
                prefixes.add(argv[++i]);
            } else {
                throw ErrorReply.syntax();
            }
        }
        if (Bytes.eq(argv[2], "off")) {
            service.disable(c);
            ctx.out().ok();
            return;
        }
        if (!Bytes.eq(argv[2], "on")) {
            throw ErrorReply.syntax();
        }
        Tracking old = c.tracking();
        if (!bcast && !prefixes.isEmpty()) {
            throw new ErrorReply("ERR PREFIX option requires BCAST mode to be enabled");
        }
        if (old != null && old.bcast != bcast) {
            throw new ErrorReply("ERR You can't switch BCAST mode on/off before disabling tracking for this client, "
                    + "and then re-enabling it with a different mode.");
        }
        if (bcast && (optIn || optOut)) {
            throw new ErrorReply("ERR OPTIN and OPTOUT are not compatible with BCAST");
        }
        if (optIn && optOut) {
            throw new ErrorReply("ERR You can't specify both OPTIN mode and OPTOUT mode");
        }
        if (old != null && (optIn && old.optOut || optOut && old.optIn)) {
            throw new ErrorReply("ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, "
                    + "and then re-enabling it with a different mode.");
        }
        List<byte[]> all = new ArrayList<>(old == null ? List.of() : old.prefixes);
        if (bcast) {
            checkPrefixes(old == null ? List.of() : old.prefixes, prefixes);
            all.addAll(prefixes);
            if (all.isEmpty()) {
                all.add(new byte[0]);
            }
        }
        if (old != null) {
            optIn |= old.optIn;
            optOut |= old.optOut;
            noLoop |= old.noLoop;
        }
        service.enable(c, new Tracking(bcast, optIn, optOut, noLoop, redirect, all));
        ctx.out().ok();
    }

    /** Redis refuses prefixes that overlap one another or the client's existing ones. */
    private static void checkPrefixes(List<byte[]> existing, List<byte[]> given) throws ErrorReply {
        for (int i = 0; i < given.size(); i++) {
            byte[] p = given.get(i);
            for (byte[] e : existing) {
                if (Tracking.startsWith(p, e) || Tracking.startsWith(e, p)) {
                    throw new ErrorReply("ERR Prefix '" + Bytes.str(p) + "' overlaps with an existing prefix '"
                            + Bytes.str(e) + "'. Prefixes for a single client must not overlap.");
                }
            }
            for (int j = i + 1; j < given.size(); j++) {
                byte[] q = given.get(j);
                if (Tracking.startsWith(p, q) || Tracking.startsWith(q, p)) {
                    throw new ErrorReply("ERR Prefix '" + Bytes.str(p) + "' overlaps with another provided prefix '"
                            + Bytes.str(q) + "'. Prefixes for a single client must not overlap.");
                }
            }
        }
    }

    static void caching(ExecContext ctx, byte[][] argv) throws ErrorReply {
        Tracking t = ctx.client().tracking();
        if (t == null) {
            throw new ErrorReply("ERR CLIENT CACHING can be called only when the client is in tracking mode with "
                    + "OPTIN or OPTOUT mode enabled");
        }
        if (Bytes.eq(argv[2], "yes")) {
            if (!t.optIn) {
                throw new ErrorReply("ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.");
            }
            t.caching = true;
        } else if (Bytes.eq(argv[2], "no")) {
            if (!t.optOut) {
                throw new ErrorReply("ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.");
            }
            t.caching = false;
        } else {
            throw ErrorReply.syntax();
        }
        ctx.out().ok();
    }

    static void getRedir(ExecContext ctx, byte[][] argv) {
        Tracking t = ctx.client().tracking();
        ctx.out().integer(t == null ? -1 : t.redirect);
    }

    static void trackingInfo(ExecContext ctx, byte[][] argv) {
        Tracking t = ctx.client().tracking();
        Reply out = ctx.out();
        out.mapHeader(3);
        out.bulk("flags");
        List<String> flags = t == null ? List.of("off") : t.flags();
        out.setHeader(flags.size());
        for (String f : flags) {
            out.bulk(f);
        }
        out.bulk("redirect");
        out.integer(t == null ? -1 : t.redirect);
        out.bulk("prefixes");
        List<byte[]> prefixes = t == null || !t.bcast ? List.of() : t.prefixes;
        out.bulkArray(prefixes);
    }
}
