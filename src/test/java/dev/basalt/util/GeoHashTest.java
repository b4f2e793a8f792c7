package dev.basalt.util;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Redis's geohash arithmetic, checked against the figures Redis's GEO documentation shows for Sicily. */
class GeoHashTest {
    @Test
    void scoresHashesAndDistanceOfTheRedisExample() {
        // GEOADD Sicily 13.361389 38.115556 "Palermo" 15.087269 37.502669 "Catania", then ZRANGE WITHSCORES.
        long palermo = GeoHash.score(13.361389, 38.115556);
        long catania = GeoHash.score(15.087269, 37.502669);
        assertEquals(3479099956230698L, palermo);
        assertEquals(3479447370796909L, catania);
        // GEOHASH Sicily Palermo Catania.
        assertEquals("sqc8b49rny0", GeoHash.standardHash(palermo));
        assertEquals("sqdtr74hyu0", GeoHash.standardHash(catania));
        // GEOPOS Sicily Palermo: the centre of the hash's box.
        assertArrayEquals(new double[] {13.36138933897018433, 38.11555639549629859}, GeoHash.position(palermo));
        // GEODIST Sicily Palermo Catania: "166274.1516".
        double[] p = GeoHash.position(palermo);
        double[] c = GeoHash.position(catania);
        assertEquals(166274.1516, GeoHash.distance(p[0], p[1], c[0], c[1]), 0.00005);
    }

    @Test
    void positionsOutsideRedisLimitsHaveNoScore() {
        assertEquals(-1, GeoHash.score(180.0000001, 0));
        assertEquals(-1, GeoHash.score(0, 85.06));
        assertTrue(GeoHash.score(-180, -85.05112878) >= 0);
    }

    /** Within one bit, and correctly rounded in all but a few cases per thousand (the reference is exact). */
    @Test
    void asinIsAlmostAlwaysCorrectlyRounded() {
        Random r = new Random(1);
        int wrong = 0;
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            double x = r.nextInt(3) == 0 ? r.nextDouble() * 0.1 : r.nextDouble();
            double exact = referenceAsin(x);
            double mine = GeoHash.asin(x);
            assertTrue(Math.abs(mine - exact) <= Math.ulp(exact), "asin(" + x + ")");
            if (mine != exact) {
                wrong++;
            }
        }
        assertTrue(wrong < n * 0.003, wrong + " of " + n + " not correctly rounded");
        assertEquals(Math.PI / 2, GeoHash.asin(1.0));
        assertEquals(0.0, GeoHash.asin(0.0));
    }

    /** asin(x) = 2 atan(x / (1 + sqrt(1 - x^2))), the atan halved further and summed as a series, to 40 digits. */
    private static double referenceAsin(double x) {
        MathContext mc = new MathContext(40);
        BigDecimal bx = new BigDecimal(x);
        BigDecimal t = bx.divide(BigDecimal.ONE.add(BigDecimal.ONE.subtract(bx.multiply(bx, mc)).sqrt(mc)), mc);
        int halvings = 1;
        while (t.compareTo(new BigDecimal("0.1")) > 0) {
            t = t.divide(BigDecimal.ONE.add(BigDecimal.ONE.add(t.multiply(t, mc)).sqrt(mc)), mc);
            halvings++;
        }
        BigDecimal sum = t;
        BigDecimal term = t;
        BigDecimal minusT2 = t.multiply(t, mc).negate();
        for (int k = 1; k < 40; k++) {
            term = term.multiply(minusT2, mc);
            sum = sum.add(term.divide(BigDecimal.valueOf(2L * k + 1), mc), mc);
        }
        return sum.multiply(BigDecimal.valueOf(1L << halvings), mc).doubleValue();
    }
}
