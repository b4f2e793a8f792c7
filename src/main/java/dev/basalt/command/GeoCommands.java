package dev.basalt.command;

import static dev.basalt.command.Arguments.integer;
import static dev.basalt.command.CommandFlag.READONLY;
import static dev.basalt.command.CommandFlag.WRITE;
import static dev.basalt.command.CommandSpec.command;

import dev.basalt.config.KeyspaceEventFlags;
import dev.basalt.protocol.ErrorReply;
import dev.basalt.protocol.Reply;
import dev.basalt.storage.StorageException;
import dev.basalt.types.GeoIndex;
import dev.basalt.types.GeoIndex.Point;
import dev.basalt.types.ZSetType;
import dev.basalt.util.ByteKey;
import dev.basalt.util.Bytes;
import dev.basalt.util.CFloat;
import dev.basalt.util.GeoHash;
import dev.basalt.util.LongDouble;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The geo commands (Redis 7.0, geo.c) on sorted sets whose scores are 52-bit geohashes, as Redis and
 * Kvrocks store them. Arguments are checked in Redis's order, distances printed with four decimals and
 * coordinates in Redis's long double form, so replies match redis-server's byte for byte.
 */
final class GeoCommands {
    private static final String GROUP = "geo";
    private static final String BAD_UNIT = "ERR unsupported unit provided. please use M, KM, FT, MI";
    private static final String NO_MEMBER = "ERR could not decode requested zset member";

    private static final int COORDS = 1;
    private static final int MEMBER = 1 << 1;
    private static final int NOSTORE = 1 << 2;
    private static final int SEARCH = 1 << 3;
    private static final int SEARCHSTORE = 1 << 4;

    private enum Sort { NONE, ASC, DESC }

    private GeoCommands() {
    }

    static void register(CommandTable t) {
        t.add(command("geoadd", -5).event(KeyspaceEventFlags.ZSET, "zadd").flags(WRITE).keys(1, 1, 1).group(GROUP).since("3.2.0")
                .summary("Add one or more geospatial items in the geospatial index represented using a sorted set")
                .handler(GeoCommands::geoadd));
        t.add(command("geodist", -4).flags(READONLY).keys(1, 1, 1).group(GROUP).since("3.2.0")
                .summary("Returns the distance between two members of a geospatial index").handler(GeoCommands::geodist));
        t.add(command("geohash", -2).flags(READONLY).keys(1, 1, 1).group(GROUP).since("3.2.0")
                .summary("Returns members of a geospatial index as standard geohash strings")
                .handler(GeoCommands::geohash));
        t.add(command("geopos", -2).flags(READONLY).keys(1, 1, 1).group(GROUP).since("3.2.0")
                .summary("Returns longitude and latitude of members of a geospatial index").handler(GeoCommands::geopos));
        t.add(command("georadius", -6).event(KeyspaceEventFlags.ZSET, "georadiusstore").flags(WRITE).keys(1, 1, 1).keys(storeKeys(6)).group(GROUP).since("3.2.0")
                .summary("Query a sorted set representing a geospatial index to fetch members matching a given maximum distance from a point")
                .handler((ctx, argv) -> search(ctx, argv, 1, COORDS)));
        t.add(command("georadius_ro", -6).flags(READONLY).keys(1, 1, 1).group(GROUP).since("3.2.10")
                .summary("A read-only variant for GEORADIUS")
                .handler((ctx, argv) -> search(ctx, argv, 1, COORDS | NOSTORE)));
        t.add(command("georadiusbymember", -5).event(KeyspaceEventFlags.ZSET, "georadiusstore").flags(WRITE).keys(1, 1, 1).keys(storeKeys(5)).group(GROUP).since("3.2.0")
                .summary("Query a sorted set representing a geospatial index to fetch members matching a given maximum distance from a member")
                .handler((ctx, argv) -> search(ctx, argv, 1, MEMBER)));
        t.add(command("georadiusbymember_ro", -5).flags(READONLY).keys(1, 1, 1).group(GROUP).since("3.2.10")
                .summary("A read-only variant for GEORADIUSBYMEMBER")
                .handler((ctx, argv) -> search(ctx, argv, 1, MEMBER | NOSTORE)));
        t.add(command("geosearch", -7).flags(READONLY).keys(1, 1, 1).group(GROUP).since("6.2.0")
                .summary("Query a sorted set representing a geospatial index to fetch members inside an area of a box or a circle.")
                .handler((ctx, argv) -> search(ctx, argv, 1, SEARCH)));
        t.add(command("geosearchstore", -8).event(KeyspaceEventFlags.ZSET, "geosearchstore").flags(WRITE).keys(1, 2, 1).group(GROUP).since("6.2.0")
                .summary("Query a sorted set representing a geospatial index to fetch members inside an area of a box or a circle, and store the result in another key.")
                .handler((ctx, argv) -> search(ctx, argv, 2, SEARCH | SEARCHSTORE)));
    }

    /** GEORADIUS's keys: the source, and the key after every STORE or STOREDIST from the options on. */
    private static KeyExtractor storeKeys(int optionsFrom) {
        return argv -> {
            List<byte[]> keys = new ArrayList<>();
            keys.add(argv[1]);
            for (int i = optionsFrom; i + 1 < argv.length; i++) {
                if (Bytes.eq(argv[i], "store") || Bytes.eq(argv[i], "storedist")) {
                    keys.add(argv[i + 1]);
                }
            }
            return keys;
        };
    }

    // ---- argument parsing ---------------------------------------------------------------------

    /** A double argument as Redis's getDoubleFromObjectOrReply reads it, with its error text. */
    private static double number(byte[] arg, String error) throws ErrorReply {
        Double d = CFloat.parseDouble(arg);
        if (d == null) {
            throw new ErrorReply(error);
        }
        return d;
    }

    /** Longitude then latitude, within Redis's limits. */
    private static double[] lonLat(byte[] lonArg, byte[] latArg) throws ErrorReply {
        double lon = number(lonArg, ErrorReply.NOT_FLOAT);
        double lat = number(latArg, ErrorReply.NOT_FLOAT);
        if (lon < GeoHash.LONG_MIN || lon > GeoHash.LONG_MAX || lat < GeoHash.LAT_MIN || lat > GeoHash.LAT_MAX) {
            throw new ErrorReply("ERR invalid longitude,latitude pair " + fixed6(lon) + "," + fixed6(lat));
        }
        return new double[] {lon, lat};
    }

    /** C's "%f": six decimals, the exact value rounded half to even. */
    private static String fixed6(double d) {
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        return new BigDecimal(d).setScale(6, RoundingMode.HALF_EVEN).toPlainString();
    }

    /** A unit's size in metres. */
    private static double unit(byte[] arg) throws ErrorReply {
        if (Bytes.eq(arg, "m")) {
            return 1;
        }
        if (Bytes.eq(arg, "km")) {
            return 1000;
        }
        if (Bytes.eq(arg, "ft")) {
            return 0.3048;
        }
        if (Bytes.eq(arg, "mi")) {
            return 1609.34;
        }
        throw new ErrorReply(BAD_UNIT);
    }

    /** Redis's addReplyDoubleDistance: the distance rounded (half to even) to four decimals. */
    static String distanceText(double d) {
        if (d == 0) {
            return "0.0000";
        }
        long scaled = (long) Math.rint(d * 10000.0);
        boolean negative = scaled < 0;
        long v = Math.abs(scaled);
        String digits = String.format("%d.%04d", v / 10000, v % 10000);
        return negative ? "-" + digits : digits;
    }

    // ---- GEOADD / GEODIST / GEOHASH / GEOPOS --------------------------------------------------

    /** GEOADD key [NX|XX] [CH] longitude latitude member ...: ZADD with the positions' hashes as scores. */
    private static void geoadd(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        boolean nx = false;
        boolean xx = false;
        boolean ch = false;
        int i = 2;
        for (; i < argv.length; i++) {
            if (Bytes.eq(argv[i], "nx")) {
                nx = true;
            } else if (Bytes.eq(argv[i], "xx")) {
                xx = true;
            } else if (Bytes.eq(argv[i], "ch")) {
                ch = true;
            } else {
                break;
            }
        }
        if ((argv.length - i) % 3 != 0 || (xx && nx)) {
            throw ErrorReply.syntax();
        }
        List<ZSetType.Entry> entries = new ArrayList<>();
        for (; i < argv.length; i += 3) {
            double[] xy = lonLat(argv[i], argv[i + 1]);
            entries.add(new ZSetType.Entry(argv[i + 2], GeoHash.score(xy[0], xy[1])));
        }
        if (entries.isEmpty()) {
            // Only options: Redis hands GEOADD to ZADD, whose check for pairs answers a syntax error.
            throw ErrorReply.syntax();
        }
        ZSetType.AddResult r = new ZSetType(ctx.txn()).add(argv[1], entries,
                new ZSetType.AddOptions(nx, xx, false, false, false));
        ctx.out().integer(ch ? r.added() + r.updated() : r.added());
    }

    /** GEODIST key member1 member2 [unit]: the unit is checked before the key, as in Redis. */
    private static void geodist(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        double toMeters = 1;
        if (argv.length == 5) {
            toMeters = unit(argv[4]);
        } else if (argv.length > 5) {
            throw ErrorReply.syntax();
        }
        GeoIndex geo = new GeoIndex(ctx.txn());
        if (!geo.exists(argv[1])) {
            ctx.out().nullBulk();
            return;
        }
        double[] a = geo.position(argv[1], argv[2]);
        double[] b = geo.position(argv[1], argv[3]);
        if (a == null || b == null) {
            ctx.out().nullBulk();
            return;
        }
        ctx.out().bulk(distanceText(GeoHash.distance(a[0], a[1], b[0], b[1]) / toMeters));
    }

    private static void geohash(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        GeoIndex geo = new GeoIndex(ctx.txn());
        boolean exists = geo.exists(argv[1]);
        ctx.out().arrayHeader(argv.length - 2);
        for (int j = 2; j < argv.length; j++) {
            Double score = exists ? geo.score(argv[1], argv[j]) : null;
            if (score == null) {
                ctx.out().nullBulk();
            } else {
                ctx.out().bulk(GeoHash.standardHash(score));
            }
        }
    }

    private static void geopos(ExecContext ctx, byte[][] argv) throws ErrorReply, StorageException {
        GeoIndex geo = new GeoIndex(ctx.txn());
        boolean exists = geo.exists(argv[1]);
        ctx.out().arrayHeader(argv.length - 2);
        for (int j = 2; j < argv.length; j++) {
            double[] xy = exists ? geo.position(argv[1], argv[j]) : null;
            if (xy == null) {
                ctx.out().nullArray();
            } else {
                coordinates(ctx.out(), xy[0], xy[1]);
            }
        }
    }

    private static void coordinates(Reply out, double lon, double lat) {
        out.arrayHeader(2);
        out.dblText(LongDouble.toHumanString(lon));
        out.dblText(LongDouble.toHumanString(lat));
    }

    // ---- GEORADIUS / GEOSEARCH family -----------------------------------------------------------

    /** The search's centre and shape as the arguments give them. */
    private static final class ShapeArgs {
        double lon;
        double lat;
        double conversion;
        boolean circle;
        double radius;
        double width;
        double height;

        void distance(byte[] radiusArg, byte[] unitArg) throws ErrorReply {
            double r = number(radiusArg, "ERR need numeric radius");
            if (r < 0) {
                throw new ErrorReply("ERR radius cannot be negative");
            }
            radius = r;
            conversion = unit(unitArg);
            circle = true;
        }

        void box(byte[] widthArg, byte[] heightArg, byte[] unitArg) throws ErrorReply {
            double w = number(widthArg, "ERR need numeric width");
            double h = number(heightArg, "ERR need numeric height");
            if (h < 0 || w < 0) {
                throw new ErrorReply("ERR height or width cannot be negative");
            }
            width = w;
            height = h;
            conversion = unit(unitArg);
            circle = false;
        }

        GeoHash.Shape shape() {
            return circle ? GeoHash.Shape.circle(lon, lat, radius, conversion)
                    : GeoHash.Shape.box(lon, lat, width, height, conversion);
        }
    }

    /**
     * Redis's georadiusGeneric: GEORADIUS[_RO] and GEORADIUSBYMEMBER[_RO] (source at 1), GEOSEARCH (source
     * at 1) and GEOSEARCHSTORE (destination at 1, source at 2), with their option rules and error order.
     */
    private static void search(ExecContext ctx, byte[][] argv, int srcIndex, int flags)
            throws ErrorReply, StorageException {
        GeoIndex geo = new GeoIndex(ctx.txn());
        byte[] src = argv[srcIndex];
        boolean exists = geo.exists(src);
        byte[] storeKey = null;
        boolean storeDist = false;
        ShapeArgs shape = new ShapeArgs();
        int base;
        if ((flags & COORDS) != 0) {
            base = 6;
            double[] xy = lonLat(argv[2], argv[3]);
            shape.lon = xy[0];
            shape.lat = xy[1];
            shape.distance(argv[4], argv[5]);
        } else if ((flags & MEMBER) != 0 && !exists) {
            base = 5;
        } else if ((flags & MEMBER) != 0) {
            base = 5;
            double[] xy = geo.position(src, argv[2]);
            if (xy == null) {
                throw new ErrorReply(NO_MEMBER);
            }
            shape.lon = xy[0];
            shape.lat = xy[1];
            shape.distance(argv[3], argv[4]);
        } else {
            base = 2;
            if ((flags & SEARCHSTORE) != 0) {
                base = 3;
                storeKey = argv[1];
            }
        }
        boolean withDist = false;
        boolean withHash = false;
        boolean withCoords = false;
        boolean fromMember = false;
        boolean fromLonLat = false;
        boolean byRadius = false;
        boolean byBox = false;
        boolean any = false;
        Sort sort = Sort.NONE;
        long count = 0;
        int remaining = argv.length - base;
        boolean search = (flags & SEARCH) != 0;
        boolean storable = (flags & NOSTORE) == 0 && !search;
        for (int i = 0; i < remaining; i++) {
            byte[] arg = argv[base + i];
            if (Bytes.eq(arg, "withdist")) {
                withDist = true;
            } else if (Bytes.eq(arg, "withhash")) {
                withHash = true;
            } else if (Bytes.eq(arg, "withcoord")) {
                withCoords = true;
            } else if (Bytes.eq(arg, "any")) {
                any = true;
            } else if (Bytes.eq(arg, "asc")) {
                sort = Sort.ASC;
            } else if (Bytes.eq(arg, "desc")) {
                sort = Sort.DESC;
            } else if (Bytes.eq(arg, "count") && i + 1 < remaining) {
                count = integer(argv[base + i + 1]);
                if (count <= 0) {
                    throw new ErrorReply("ERR COUNT must be > 0");
                }
                i++;
            } else if (Bytes.eq(arg, "store") && i + 1 < remaining && storable) {
                storeKey = argv[base + i + 1];
                storeDist = false;
                i++;
            } else if (Bytes.eq(arg, "storedist") && i + 1 < remaining && storable) {
                storeKey = argv[base + i + 1];
                storeDist = true;
                i++;
            } else if (Bytes.eq(arg, "storedist") && search && (flags & SEARCHSTORE) != 0) {
                storeDist = true;
            } else if (Bytes.eq(arg, "frommember") && i + 1 < remaining && search && !fromLonLat) {
                if (exists) {
                    double[] xy = geo.position(src, argv[base + i + 1]);
                    if (xy == null) {
                        throw new ErrorReply(NO_MEMBER);
                    }
                    shape.lon = xy[0];
                    shape.lat = xy[1];
                }
                fromMember = true;
                i++;
            } else if (Bytes.eq(arg, "fromlonlat") && i + 2 < remaining && search && !fromMember) {
                double[] xy = lonLat(argv[base + i + 1], argv[base + i + 2]);
                shape.lon = xy[0];
                shape.lat = xy[1];
                fromLonLat = true;
                i += 2;
            } else if (Bytes.eq(arg, "byradius") && i + 2 < remaining && search && !byBox) {
                shape.distance(argv[base + i + 1], argv[base + i + 2]);
                byRadius = true;
                i += 2;
            } else if (Bytes.eq(arg, "bybox") && i + 3 < remaining && search && !byRadius) {
                shape.box(argv[base + i + 1], argv[base + i + 2], argv[base + i + 3]);
                byBox = true;
                i += 3;
            } else {
                throw ErrorReply.syntax();
            }
        }
        if (storeKey != null && (withDist || withHash || withCoords)) {
            throw new ErrorReply("ERR " + ((flags & SEARCHSTORE) != 0 ? "GEOSEARCHSTORE" : "STORE option in GEORADIUS")
                    + " is not compatible with WITHDIST, WITHHASH and WITHCOORD options");
        }
        if (search && !(fromMember || fromLonLat)) {
            throw new ErrorReply("ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for "
                    + Bytes.str(argv[0]));
        }
        if (search && !(byRadius || byBox)) {
            throw new ErrorReply("ERR exactly one of BYRADIUS and BYBOX can be specified for " + Bytes.str(argv[0]));
        }
        if (any && count == 0) {
            throw new ErrorReply("ERR the ANY argument requires COUNT argument");
        }
        ZSetType zsets = new ZSetType(ctx.txn());
        if (!exists) {
            if (storeKey != null) {
                zsets.replace(storeKey, List.of());
                ctx.out().integer(0);
            } else {
                ctx.out().arrayHeader(0);
            }
            return;
        }
        if (count != 0 && sort == Sort.NONE && !any) {
            sort = Sort.ASC;
        }
        GeoHash.Shape s = shape.shape();
        List<Point> points = geo.search(src, s, any ? count : 0);
        if (points.isEmpty() && storeKey == null) {
            ctx.out().arrayHeader(0);
            return;
        }
        int returned = (int) (count == 0 || points.size() < count ? points.size() : count);
        if (sort != Sort.NONE) {
            GeoIndex.sort(points, sort == Sort.DESC, returned);
        }
        if (storeKey != null) {
            // Members are distinct in a sorted set; a huge radius can still show one twice (Redis would not store it twice).
            Map<ByteKey, ZSetType.Entry> stored = new LinkedHashMap<>();
            for (Point p : points.subList(0, returned)) {
                double score = storeDist ? p.distance() / s.conversion() : p.score();
                stored.putIfAbsent(new ByteKey(p.member()), new ZSetType.Entry(p.member(), score));
            }
            zsets.replace(storeKey, new ArrayList<>(stored.values()));
            ctx.out().integer(returned);
            return;
        }
        int options = (withDist ? 1 : 0) + (withCoords ? 1 : 0) + (withHash ? 1 : 0);
        Reply out = ctx.out();
        out.arrayHeader(returned);
        for (Point p : points.subList(0, returned)) {
            if (options > 0) {
                out.arrayHeader(options + 1);
            }
            out.bulk(p.member());
            if (withDist) {
                out.bulk(distanceText(p.distance() / s.conversion()));
            }
            if (withHash) {
                out.integer((long) p.score());
            }
            if (withCoords) {
                coordinates(out, p.lon(), p.lat());
            }
        }
    }
}
