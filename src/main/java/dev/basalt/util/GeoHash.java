package dev.basalt.util;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * Redis 7.0's geohash arithmetic (geohash.c, geohash_helper.c), restated so that scores, neighbour boxes
 * and positions come out as redis-server computes them, bit for bit: positions are 52-bit interleaved
 * hashes of latitude and longitude over Redis's ranges, distances the haversine formula on its earth radius.
 * Distances depend on sin, cos and asin, where glibc and Java may round the last bit differently: Java's
 * sin and cos and an asin that is almost always correctly rounded (like glibc's, unlike Java's) agree
 * with redis-server in all but a few tenths of a percent of distances, and then only in the last bit.
 */
public final class GeoHash {
    public static final double LAT_MIN = -85.05112878;
    public static final double LAT_MAX = 85.05112878;
    public static final double LONG_MIN = -180;
    public static final double LONG_MAX = 180;
    public static final int STEP_MAX = 26;

    private static final double D_R = Math.PI / 180.0;
    private static final double EARTH_RADIUS_IN_METERS = 6372797.560856;
    private static final double MERCATOR_MAX = 20037726.37;

    private GeoHash() {
    }

    /** A hash of step * 2 bits; bits 0 and step 0 is Redis's "zero" hash (an excluded neighbour). */
    public record Bits(long bits, int step) {
        public static final Bits ZERO = new Bits(0, 0);

        public boolean isZero() {
            return bits == 0 && step == 0;
        }

        /** The hash shifted to 52 bits: the lowest sorted-set score inside its box. */
        public long align52() {
            return bits << (52 - step * 2);
        }
    }

    /** A box: longitude and latitude ranges. */
    public record Area(double lonMin, double lonMax, double latMin, double latMax) {
    }

    /** A search centre and its shape: a circle of radius, or a box of width and height (in units of conversion metres). */
    public record Shape(double lon, double lat, double conversion, boolean circle, double radius, double width,
            double height) {
        public static Shape circle(double lon, double lat, double radius, double conversion) {
            return new Shape(lon, lat, conversion, true, radius, 0, 0);
        }

        public static Shape box(double lon, double lat, double width, double height, double conversion) {
            return new Shape(lon, lat, conversion, false, 0, width, height);
        }
    }

    /** The boxes a search looks in: the centre's box first, then its neighbours (some may be {@link Bits#ZERO}). */
    public record SearchAreas(Bits[] boxes) {
    }

    // ---- encoding -------------------------------------------------------------------------------

    /** The 52-bit score of a position (GEOADD), or -1 outside Redis's limits. */
    public static long score(double lon, double lat) {
        Bits b = encode(LONG_MIN, LONG_MAX, LAT_MIN, LAT_MAX, lon, lat, STEP_MAX);
        return b == null ? -1 : b.align52();
    }

    /** geohashEncode: null when the position is outside Redis's limits or the given ranges. */
    public static Bits encode(double lonMin, double lonMax, double latMin, double latMax, double lon, double lat,
            int step) {
        if (lon > LONG_MAX || lon < LONG_MIN || lat > LAT_MAX || lat < LAT_MIN) {
            return null;
        }
        if (lat < latMin || lat > latMax || lon < lonMin || lon > lonMax) {
            return null;
        }
        double latOffset = (lat - latMin) / (latMax - latMin);
        double lonOffset = (lon - lonMin) / (lonMax - lonMin);
        latOffset *= (double) (1L << step);
        lonOffset *= (double) (1L << step);
        return new Bits(interleave((long) latOffset & 0xffffffffL, (long) lonOffset & 0xffffffffL), step);
    }

    /** Bits of x in the even positions, bits of y in the odd ones. */
    private static long interleave(long x, long y) {
        return spread(x) | (spread(y) << 1);
    }

    private static long spread(long v) {
        v = (v | (v << 16)) & 0x0000FFFF0000FFFFL;
        v = (v | (v << 8)) & 0x00FF00FF00FF00FFL;
        v = (v | (v << 4)) & 0x0F0F0F0F0F0F0F0FL;
        v = (v | (v << 2)) & 0x3333333333333333L;
        v = (v | (v << 1)) & 0x5555555555555555L;
        return v;
    }

    /** The even bits of v packed into the low 32 bits. */
    private static long squeeze(long v) {
        v &= 0x5555555555555555L;
        v = (v | (v >>> 1)) & 0x3333333333333333L;
        v = (v | (v >>> 2)) & 0x0F0F0F0F0F0F0F0FL;
        v = (v | (v >>> 4)) & 0x00FF00FF00FF00FFL;
        v = (v | (v >>> 8)) & 0x0000FFFF0000FFFFL;
        v = (v | (v >>> 16)) & 0x00000000FFFFFFFFL;
        return v;
    }

    /** geohashDecode over Redis's ranges: the box the hash stands for (null for the zero hash). */
    public static Area decode(Bits hash) {
        return decode(LONG_MIN, LONG_MAX, LAT_MIN, LAT_MAX, hash);
    }

    private static Area decode(double lonMin, double lonMax, double latMin, double latMax, Bits hash) {
        if (hash.isZero()) {
            return null;
        }
        long latBits = squeeze(hash.bits());
        long lonBits = squeeze(hash.bits() >>> 1);
        double latScale = latMax - latMin;
        double lonScale = lonMax - lonMin;
        double cells = (double) (1L << hash.step());
        // The upper edges use the cell number + 1 in 32 bits, as Redis's uint32_t arithmetic does.
        long lonNext = (lonBits + 1) & 0xffffffffL;
        long latNext = (latBits + 1) & 0xffffffffL;
        return new Area(lonMin + (lonBits * 1.0 / cells) * lonScale, lonMin + (lonNext * 1.0 / cells) * lonScale,
                latMin + (latBits * 1.0 / cells) * latScale, latMin + (latNext * 1.0 / cells) * latScale);
    }

    /** The position a sorted-set score stands for: the centre of its box, clamped to Redis's limits. */
    public static double[] position(double score) {
        Area a = decode(new Bits(scoreBits(score), STEP_MAX));
        double lon = Math.min(LONG_MAX, Math.max(LONG_MIN, (a.lonMin() + a.lonMax()) / 2));
        double lat = Math.min(LAT_MAX, Math.max(LAT_MIN, (a.latMin() + a.latMax()) / 2));
        return new double[] {lon, lat};
    }

    /** A score as C's (uint64_t) conversion turns it into hash bits on x86-64 (any score, not only geo ones). */
    public static long scoreBits(double score) {
        double twoTo63 = 9223372036854775808.0;
        if (score < twoTo63) {
            return (long) score;
        }
        double rest = score - twoTo63;
        long low = rest >= twoTo63 ? Long.MIN_VALUE : (long) rest;
        return low ^ Long.MIN_VALUE;
    }

    /** GEOHASH's 11 characters: the position re-encoded over latitudes -90..90, as standard geohashes are. */
    public static String standardHash(double score) {
        String alphabet = "0123456789bcdefghjkmnpqrstuvwxyz";
        double[] xy = position(score);
        Bits hash = encode(-180, 180, -90, 90, xy[0], xy[1], STEP_MAX);
        long bits = hash == null ? 0 : hash.bits();
        char[] out = new char[11];
        for (int i = 0; i < 11; i++) {
            int idx = i == 10 ? 0 : (int) ((bits >>> (52 - ((i + 1) * 5))) & 0x1f);
            out[i] = alphabet.charAt(idx);
        }
        return new String(out);
    }

    // ---- search areas ---------------------------------------------------------------------------

    private static Bits moveX(Bits hash, int d) {
        long x = hash.bits() & 0xaaaaaaaaaaaaaaaaL;
        long y = hash.bits() & 0x5555555555555555L;
        long zz = 0x5555555555555555L >>> (64 - hash.step() * 2);
        if (d > 0) {
            x = x + (zz + 1);
        } else {
            x = x | zz;
            x = x - (zz + 1);
        }
        x &= 0xaaaaaaaaaaaaaaaaL >>> (64 - hash.step() * 2);
        return new Bits(x | y, hash.step());
    }

    private static Bits moveY(Bits hash, int d) {
        long x = hash.bits() & 0xaaaaaaaaaaaaaaaaL;
        long y = hash.bits() & 0x5555555555555555L;
        long zz = 0xaaaaaaaaaaaaaaaaL >>> (64 - hash.step() * 2);
        if (d > 0) {
            y = y + (zz + 1);
        } else {
            y = y | zz;
            y = y - (zz + 1);
        }
        y &= 0x5555555555555555L >>> (64 - hash.step() * 2);
        return new Bits(x | y, hash.step());
    }

    /** geohashEstimateStepsByRadius: the precision of the nine boxes for a search radius at a latitude. */
    static int stepsForRadius(double rangeMeters, double lat) {
        if (rangeMeters == 0) {
            return 26;
        }
        int step = 1;
        while (rangeMeters < MERCATOR_MAX) {
            rangeMeters *= 2;
            step++;
        }
        step -= 2;
        if (lat > 66 || lat < -66) {
            step--;
            if (lat > 80 || lat < -80) {
                step--;
            }
        }
        return Math.max(1, Math.min(26, step));
    }

    /**
     * geohashCalculateAreasByShapeWGS84: the centre's box and its eight neighbours, in Redis's order
     * (centre, north, south, east, west, north-east, north-west, south-east, south-west), the useless ones
     * replaced by {@link Bits#ZERO}.
     */
    public static SearchAreas areas(Shape shape) {
        double lon = shape.lon();
        double lat = shape.lat();
        double height = shape.conversion() * (shape.circle() ? shape.radius() : shape.height() / 2);
        double width = shape.conversion() * (shape.circle() ? shape.radius() : shape.width() / 2);
        double latDelta = radDeg(height / EARTH_RADIUS_IN_METERS);
        double lonDeltaTop = radDeg(width / EARTH_RADIUS_IN_METERS / Math.cos(degRad(lat + latDelta)));
        double lonDeltaBottom = radDeg(width / EARTH_RADIUS_IN_METERS / Math.cos(degRad(lat - latDelta)));
        boolean southern = lat < 0;
        double minLon = southern ? lon - lonDeltaBottom : lon - lonDeltaTop;
        double maxLon = southern ? lon + lonDeltaBottom : lon + lonDeltaTop;
        double minLat = lat - latDelta;
        double maxLat = lat + latDelta;

        double radiusMeters = shape.circle() ? shape.radius()
                : Math.sqrt((shape.width() / 2) * (shape.width() / 2) + (shape.height() / 2) * (shape.height() / 2));
        radiusMeters *= shape.conversion();
        int steps = stepsForRadius(radiusMeters, lat);

        Bits hash = encode(LONG_MIN, LONG_MAX, LAT_MIN, LAT_MAX, lon, lat, steps);
        Bits[] n = neighbours(hash);
        Area north = decode(n[1]);
        Area south = decode(n[2]);
        Area east = decode(n[3]);
        Area west = decode(n[4]);
        boolean decrease = north.latMax() < maxLat || south.latMin() > minLat || east.lonMax() < maxLon
                || west.lonMin() > minLon;
        if (steps > 1 && decrease) {
            steps--;
            hash = encode(LONG_MIN, LONG_MAX, LAT_MIN, LAT_MAX, lon, lat, steps);
            n = neighbours(hash);
        }
        Area area = decode(hash);
        if (steps >= 2) {
            if (area.latMin() < minLat) {
                n[2] = Bits.ZERO; // south
                n[8] = Bits.ZERO; // south-west
                n[7] = Bits.ZERO; // south-east
            }
            if (area.latMax() > maxLat) {
                n[1] = Bits.ZERO; // north
                n[5] = Bits.ZERO; // north-east
                n[6] = Bits.ZERO; // north-west
            }
            if (area.lonMin() < minLon) {
                n[4] = Bits.ZERO; // west
                n[8] = Bits.ZERO;
                n[6] = Bits.ZERO;
            }
            if (area.lonMax() > maxLon) {
                n[3] = Bits.ZERO; // east
                n[7] = Bits.ZERO;
                n[5] = Bits.ZERO;
            }
        }
        return new SearchAreas(n);
    }

    /** The hash and its neighbours in the order Redis searches them. */
    private static Bits[] neighbours(Bits hash) {
        return new Bits[] {
            hash,
            moveY(hash, 1), // north
            moveY(hash, -1), // south
            moveX(hash, 1), // east
            moveX(hash, -1), // west
            moveY(moveX(hash, 1), 1), // north-east
            moveY(moveX(hash, -1), 1), // north-west
            moveY(moveX(hash, 1), -1), // south-east
            moveY(moveX(hash, -1), -1), // south-west
        };
    }

    // ---- distances ------------------------------------------------------------------------------

    /** The coefficients c_n of asin(z) = z + sum c_n z^(2n+1): (2n)! / (4^n (n!)^2 (2n+1)). */
    private static final double[] ASIN_TERMS = new double[37];
    /** 1/6 as a double and the rest of it. */
    private static final double C1_HIGH = 1.0 / 6;
    private static final double C1_LOW = -Math.fma(C1_HIGH, 6, -1) / 6;
    /** pi/2 as a double and the rest of it. */
    private static final double HALF_PI_HIGH = Math.PI / 2;
    private static final double HALF_PI_LOW = 6.123233995736766e-17;

    static {
        for (int n = 1; n < ASIN_TERMS.length; n++) {
            BigDecimal c = BigDecimal.ONE;
            for (int k = 1; k <= n; k++) {
                c = c.multiply(BigDecimal.valueOf(2L * k - 1))
                        .divide(BigDecimal.valueOf(2L * k), MathContext.DECIMAL128);
            }
            ASIN_TERMS[n] = c.divide(BigDecimal.valueOf(2L * n + 1), MathContext.DECIMAL128)
                    .doubleValue();
        }
    }

    /**
     * asin(x) for x in [0, 1], correctly rounded in all but about one case in a thousand: the series (or,
     * above 0.5, pi/2 - 2 asin(sqrt((1-x)/2))) is summed in double-double arithmetic before the one final
     * rounding. glibc's asin is that accurate; Java's is off by one bit in several percent of cases.
     */
    static double asin(double x) {
        if (!(x >= 0 && x <= 1)) {
            return StrictMath.asin(x);
        }
        if (x <= 0.5) {
            double[] t = asinTail(x, 0);
            double s = x + t[0];
            double bb = s - x;
            double e = (x - (s - bb)) + (t[0] - bb);
            return s + (e + t[1]);
        }
        double w = (1 - x) * 0.5;
        double zHigh = Math.sqrt(w);
        double zLow = zHigh == 0 ? 0 : -Math.fma(zHigh, zHigh, -w) / (2 * zHigh);
        double[] t = asinTail(zHigh, zLow);
        double b = -2 * zHigh;
        double s1 = HALF_PI_HIGH + b;
        double bb = s1 - HALF_PI_HIGH;
        double e1 = (HALF_PI_HIGH - (s1 - bb)) + (b - bb);
        double c = -2 * t[0];
        double s2 = s1 + c;
        double cc = s2 - s1;
        double e2 = (s1 - (s2 - cc)) + (c - cc);
        return s2 + (e2 + e1 + HALF_PI_LOW - 2 * t[1]);
    }

    /** asin(z + zLow) - z as a double-double {high, low}, for z in [0, 0.5] and zLow tiny. */
    private static double[] asinTail(double z, double zLow) {
        double wHigh = z * z;
        double wLow = Math.fma(z, z, -wHigh);
        double cubeHigh = z * wHigh;
        double cubeLow = Math.fma(z, wHigh, -cubeHigh) + z * wLow;
        double rest = 0;
        for (int n = ASIN_TERMS.length - 1; n >= 2; n--) {
            rest = (rest + ASIN_TERMS[n]) * wHigh;
        }
        double high = cubeHigh * C1_HIGH;
        double low = Math.fma(cubeHigh, C1_HIGH, -high) + cubeHigh * C1_LOW + cubeLow * C1_HIGH + cubeHigh * rest;
        if (zLow != 0) {
            low += zLow / Math.sqrt(1 - wHigh);
        }
        return new double[] {high, low};
    }

    private static double degRad(double ang) {
        return ang * D_R;
    }

    private static double radDeg(double ang) {
        return ang / D_R;
    }

    private static double latDistance(double lat1, double lat2) {
        return EARTH_RADIUS_IN_METERS * Math.abs(degRad(lat2) - degRad(lat1));
    }

    /** geohashGetDistance: metres between two positions by the haversine formula. */
    public static double distance(double lon1, double lat1, double lon2, double lat2) {
        double lon1r = degRad(lon1);
        double lon2r = degRad(lon2);
        double v = Math.sin((lon2r - lon1r) / 2);
        if (v == 0.0) {
            return latDistance(lat1, lat2);
        }
        double lat1r = degRad(lat1);
        double lat2r = degRad(lat2);
        double u = Math.sin((lat2r - lat1r) / 2);
        double a = u * u + Math.cos(lat1r) * Math.cos(lat2r) * v * v;
        return 2.0 * EARTH_RADIUS_IN_METERS * asin(Math.sqrt(a));
    }

    /**
     * The distance from the shape's centre to a position when the position is inside the shape (a box's
     * sides are measured along the earth at the position's latitude, as Redis does), else -1.
     */
    public static double distanceIfInside(Shape shape, double lon, double lat) {
        if (shape.circle()) {
            double d = distance(shape.lon(), shape.lat(), lon, lat);
            return d > shape.radius() * shape.conversion() ? -1 : d;
        }
        double widthM = shape.width() * shape.conversion();
        double heightM = shape.height() * shape.conversion();
        if (latDistance(lat, shape.lat()) > heightM / 2) {
            return -1;
        }
        if (distance(lon, lat, shape.lon(), lat) > widthM / 2) {
            return -1;
        }
        return distance(shape.lon(), shape.lat(), lon, lat);
    }
}
