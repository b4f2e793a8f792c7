package dev.basalt.types;

import dev.basalt.protocol.ErrorReply;
import dev.basalt.storage.StorageException;
import dev.basalt.storage.Txn;
import dev.basalt.util.GeoHash;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Geo commands' view of a sorted set, as Redis (geo.c) and Kvrocks keep positions: each member's score is
 * the 52-bit geohash of its position. Searches look in the nine boxes {@link GeoHash#areas} gives, in
 * Redis's order, through the score index.
 */
public final class GeoIndex {
    private final ZSetType zsets;

    /** A member found by a search: its score (hash), position and distance from the centre in metres. */
    public record Point(byte[] member, double score, double lon, double lat, double distance) {
    }

    public GeoIndex(Txn txn) {
        this.zsets = new ZSetType(txn);
    }

    /** True when the key holds a sorted set, false when it does not exist; WRONGTYPE for other types. */
    public boolean exists(byte[] key) throws StorageException, ErrorReply {
        return zsets.metadata(key) != null;
    }

    /** The member's position (longitude, latitude), null when it is not a member. */
    public double[] position(byte[] key, byte[] member) throws StorageException, ErrorReply {
        Double score = zsets.score(key, member);
        return score == null ? null : GeoHash.position(score);
    }

    /** The member's score (its hash), null when it is not a member. */
    public Double score(byte[] key, byte[] member) throws StorageException, ErrorReply {
        return zsets.score(key, member);
    }

    /**
     * The members inside the shape, box after box, each box in score order. With limit > 0 (COUNT ANY) the
     * search stops once that many were found, checking after every member looked at, as Redis does.
     */
    public List<Point> search(byte[] key, GeoHash.Shape shape, long limit) throws StorageException, ErrorReply {
        GeoHash.Bits[] boxes = GeoHash.areas(shape).boxes();
        List<Point> found = new ArrayList<>();
        int lastProcessed = 0;
        for (int i = 0; i < boxes.length; i++) {
            GeoHash.Bits box = boxes[i];
            if (box.isZero()) {
                continue;
            }
            // A huge radius can make adjacent boxes the same one (Redis compares with the last box searched,
            // the centre's excepted).
            if (lastProcessed != 0 && box.equals(boxes[lastProcessed])) {
                continue;
            }
            if (reached(found, limit)) {
                break;
            }
            double min = box.align52();
            double max = new GeoHash.Bits(box.bits() + 1, box.step()).align52();
            zsets.forEachByScore(key, new ZSetType.ScoreRange(min, false, max, true), e -> {
                double[] xy = GeoHash.position(e.score());
                double d = GeoHash.distanceIfInside(shape, xy[0], xy[1]);
                if (d >= 0) {
                    found.add(new Point(e.member(), e.score(), xy[0], xy[1], d));
                }
                return !reached(found, limit);
            });
            lastProcessed = i;
        }
        return found;
    }

    private static boolean reached(List<Point> found, long limit) {
        return !found.isEmpty() && limit > 0 && found.size() >= limit;
    }

    /**
     * Orders points by distance as Redis does before replying: the whole array with a stable sort (glibc's
     * qsort), or, when only the first n are returned, its partial quicksort (pqsort.c), whose order of
     * equal distances this reproduces.
     */
    public static void sort(List<Point> points, boolean descending, int n) {
        Comparator<Point> byDistance = Comparator.comparingDouble(Point::distance);
        Comparator<Point> order = descending ? byDistance.reversed() : byDistance;
        if (n >= points.size()) {
            points.sort(order);
            return;
        }
        Point[] a = points.toArray(new Point[0]);
        PartialSort.sort(a, (x, y) -> compare(x, y, descending), 0, n - 1);
        points.clear();
        points.addAll(List.of(a));
    }

    /** Redis's sort_gp_asc (and its negation): 1, 0 or -1 by distance. */
    private static int compare(Point a, Point b, boolean descending) {
        int c = a.distance() > b.distance() ? 1 : a.distance() == b.distance() ? 0 : -1;
        return descending ? -c : c;
    }
}
