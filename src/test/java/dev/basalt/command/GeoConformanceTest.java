package dev.basalt.command;

import dev.basalt.testutil.Conformance;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The geo commands against a real redis-server, reply for reply and byte for byte: scores, geohashes,
 * coordinates in Redis's long double form, distances with four decimals, the order of unsorted results
 * (box by box), of sorted ones (equal distances included, with COUNT's partial sort), and error texts.
 */
class GeoConformanceTest {
    @RegisterExtension
    static final Conformance servers = new Conformance();

    private static final String SICILY = "GEOADD @g 13.361389 38.115556 Palermo 15.087269 37.502669 Catania "
            + "12.758489 38.788135 edge1 17.241510 38.788135 edge2\n";

    @Test
    void addPositionHashAndDistance() {
        servers.compareScript("add", SICILY + """
                GEOADD @g 13.361389 38.115556 Palermo 15.087269 37.502669 Catania
                GEOADD @g ch ch ch
                GEOADD @g nx xx 1 2 m
                GEOADD @g 1 2
                GEOADD @g 1 2 m 3
                GEOADD @g 200 10 bad
                GEOADD @g -180.0000001 10 bad
                GEOADD @g 10 85.06 bad
                GEOADD @g 10 -85.05112879 bad
                GEOADD @g abc 10 bad
                GEOADD @g 10 nan bad
                GEOADD @g 10 inf bad
                GEOADD @g 0.0078125 -90 x
                GEOADD @g 180 85.05112878 corner -180 -85.05112878 corner2 0 0 origin
                GEOADD @g CH 13.361389 38.115556 Palermo 15 37 Catania 2 2 new
                GEOADD @g xx ch 13 38 Palermo 1 1 nothere
                GEOADD @g nx 14 38 Palermo 3 3 new2
                GEOADD @g NX CH XX 1 1 a
                ZRANGE @g 0 -1 WITHSCORES
                GEODIST @g Palermo Catania
                GEODIST @g Palermo Catania km
                GEODIST @g Palermo Catania MI
                GEODIST @g Palermo Catania ft
                GEODIST @g Palermo Palermo
                GEODIST @g corner corner2 km
                GEODIST @g origin corner
                GEOADD @anti 0 0 a 180 0 b -90 45 c 90 -45 d 0 1 e 0 -1 f
                GEODIST @anti a b
                GEODIST @anti c d km
                GEODIST @anti e f
                GEORADIUS @anti 0 0 20000 km WITHDIST ASC
                GEODIST @g Palermo Catania foo
                GEODIST @g Palermo Catania km extra
                GEODIST @g Palermo nothere
                GEODIST @none a b
                GEODIST @none a b foo
                GEOHASH @g Palermo Catania nothere new corner corner2 origin x
                GEOHASH @none a
                GEOPOS @g Palermo Catania nothere new corner corner2 origin x
                GEOPOS @none a b
                ZADD @z 0 zero -1 minus 4503599627370496 big 1e20 huge
                GEOPOS @z zero minus big huge
                GEOHASH @z zero minus big huge
                GEODIST @z zero big
                SET @s x
                GEOADD @s 1 1 a
                GEOPOS @s a
                GEOHASH @s a
                GEODIST @s a b
                GEODIST @s a b foo
                """);
    }

    @Test
    void radiusAndSearchOptions() {
        servers.compareScript("search", SICILY + """
                GEORADIUS @g 15 37 200 km
                GEORADIUS @g 15 37 200 km WITHDIST
                GEORADIUS @g 15 37 200 km withcoord withdist withhash
                GEORADIUS @g 15 37 200 km withcoord withdist withhash desc
                GEORADIUS @g 15 37 200 km count 1
                GEORADIUS @g 15 37 200 km count 1 any
                GEORADIUS @g 15 37 200 km count 1 desc
                GEORADIUS @g 15 37 200 km any
                GEORADIUS @g 15 37 0 km
                GEORADIUS @g 15 37 200 km count 0
                GEORADIUS @g 15 37 200 km count -3
                GEORADIUS @g 15 37 200 km count abc
                GEORADIUS @g 15 37 200 km count
                GEORADIUS @g 15 37 -1 km
                GEORADIUS @g 15 37 abc km
                GEORADIUS @g 15 37 200 kk
                GEORADIUS @g 200 37 200 km
                GEORADIUS @g 15 37 200 km foo
                GEORADIUS @g 15 37 200 km store @dst
                ZRANGE @dst 0 -1 WITHSCORES
                GEORADIUS @g 15 37 200 km storedist @dst2 count 2 desc
                ZRANGE @dst2 0 -1 WITHSCORES
                GEORADIUS @g 15 37 200 km store @dst withdist
                GEORADIUS_RO @g 15 37 200 km store @dst
                GEORADIUS_RO @g 15 37 200 km withdist asc
                GEORADIUS @g 15 37 1 m store @dst
                EXISTS @dst
                GEORADIUS @none 15 37 1 m store @dst2
                EXISTS @dst2
                GEORADIUS @none 15 37 1 m
                GEORADIUSBYMEMBER @g Palermo 200 km withdist
                GEORADIUSBYMEMBER @g nothere 200 km
                GEORADIUSBYMEMBER @g Palermo 200
                GEORADIUSBYMEMBER @none nothere abc km
                GEORADIUSBYMEMBER @none nothere abc km store @x
                GEORADIUSBYMEMBER_RO @g Palermo 100 km withdist asc
                GEORADIUSBYMEMBER_RO @g Palermo 100 km store @x
                GEOSEARCH @g FROMMEMBER Palermo BYRADIUS 200 km withdist
                GEOSEARCH @g fromlonlat 15 37 bybox 400 400 km withdist withcoord
                GEOSEARCH @g fromlonlat 15 37 bybox 400 400 km asc count 2
                GEOSEARCH @g fromlonlat 15 37 bybox 0 0 km
                GEOSEARCH @g fromlonlat 15 37
                GEOSEARCH @g byradius 10 km
                GEOSEARCH @g frommember Palermo fromlonlat 1 1 byradius 1 km
                GEOSEARCH @g frommember Palermo byradius 1 km bybox 1 1 km
                GEOSEARCH @g frommember nothere byradius 1 km
                GEOSEARCH @none frommember nothere byradius 1 km
                geosearch @none frommember nothere
                GEOSEARCH @g frommember Palermo byradius 200 km store @x
                GEOSEARCH @g frommember Palermo byradius 200 km any
                GEOSEARCH @g frommember Palermo byradius 200 km storedist
                GEOSEARCH @g frommember Palermo bybox 100 -1 km
                GEOSEARCH @g frommember Palermo bybox abc 1 km
                GEOSEARCH @g frommember Palermo bybox 1 abc km
                GEOSEARCH @g frommember Palermo bybox 1 1 foo
                GEOSEARCH @g frommember Palermo bybox 1 1
                GEOSEARCHSTORE @dst3 @g frommember Palermo byradius 200 km storedist
                ZRANGE @dst3 0 -1 WITHSCORES
                GEOSEARCHSTORE @dst3 @g frommember Palermo byradius 200 km count 1
                ZRANGE @dst3 0 -1 WITHSCORES
                GEOSEARCHSTORE @dst3 @g frommember Palermo byradius 200 km withdist
                GEOSEARCHSTORE @dst3 @none frommember Palermo byradius 200 km
                EXISTS @dst3
                LPUSH @l a
                GEORADIUS @l 1 1 1 km
                GEORADIUS @l abc 1 1 km
                GEOSEARCH @l frommember a byradius 1 km
                GEOSEARCHSTORE @l @g frommember Palermo byradius 200 km
                TYPE @l
                """);
    }

    @Test
    void resp3Replies() {
        servers.compareScript("resp3", "HELLO 3\n" + SICILY + """
                GEOPOS @g Palermo nothere
                GEOHASH @g Palermo nothere
                GEODIST @g Palermo nothere
                GEODIST @g Palermo Catania
                GEOSEARCH @g frommember Palermo byradius 300 km withcoord withdist withhash
                GEOPOS @none a
                """);
    }

    /**
     * Thousands of random points (fixed seed), a third of them repeating earlier positions so that equal
     * distances are common, then random searches of every kind with every option, compared reply for reply.
     */
    @Test
    void randomDifferential() {
        Random r = new Random(5);
        List<String[]> script = new ArrayList<>();
        List<double[]> points = new ArrayList<>();
        int n = 3000;
        for (int i = 0; i < n; i++) {
            if (i % 3 == 0 && !points.isEmpty()) {
                points.add(points.get(r.nextInt(points.size())));
            } else {
                double lon = round(r.nextDouble() * 20 - 10, r.nextInt(8));
                double lat = round(40 + r.nextDouble() * 10, r.nextInt(7));
                points.add(new double[] {lon, lat});
            }
        }
        for (int i = 0; i < n; i += 100) {
            List<String> c = new ArrayList<>(List.of("GEOADD", "rg:g"));
            for (int j = i; j < i + 100; j++) {
                c.add(text(points.get(j)[0]));
                c.add(text(points.get(j)[1]));
                c.add("m" + j);
            }
            script.add(c.toArray(new String[0]));
        }
        String[] units = {"m", "km", "mi", "ft"};
        for (int q = 0; q < 600; q++) {
            double[] center = r.nextBoolean() ? points.get(r.nextInt(n))
                    : new double[] {round(r.nextDouble() * 24 - 12, 3), round(38 + r.nextDouble() * 14, 3)};
            String unit = units[r.nextInt(units.length)];
            double radius = switch (unit) {
                case "m" -> new double[] {0, 1000, 50_000, 300_000}[r.nextInt(4)];
                case "km" -> new double[] {1, 50, 300, 2000}[r.nextInt(4)];
                case "mi" -> new double[] {10, 200}[r.nextInt(2)];
                default -> new double[] {100_000, 5_000_000}[r.nextInt(2)];
            };
            List<String> options = new ArrayList<>();
            if (r.nextBoolean()) {
                options.add("WITHDIST");
            }
            if (r.nextInt(3) == 0) {
                options.add("WITHCOORD");
            }
            if (r.nextInt(3) == 0) {
                options.add("WITHHASH");
            }
            if (r.nextInt(5) < 3) {
                options.addAll(List.of("COUNT", Integer.toString(new int[] {1, 3, 10, 50, 500, 5000}[r.nextInt(6)])));
                if (r.nextInt(3) == 0) {
                    options.add("ANY");
                }
            }
            if (r.nextBoolean()) {
                options.add(r.nextBoolean() ? "ASC" : "DESC");
            }
            String lon = text(center[0]);
            String lat = text(center[1]);
            String rad = text(radius);
            List<String> c = new ArrayList<>(List.of("GEORADIUS", "rg:g", lon, lat, rad, unit));
            c.addAll(options);
            script.add(c.toArray(new String[0]));
            c = new ArrayList<>(List.of("GEOSEARCH", "rg:g"));
            if (r.nextBoolean()) {
                c.addAll(List.of("FROMLONLAT", lon, lat));
            } else {
                c.addAll(List.of("FROMMEMBER", "m" + r.nextInt(n)));
            }
            if (r.nextBoolean()) {
                c.addAll(List.of("BYRADIUS", rad, unit));
            } else {
                c.addAll(List.of("BYBOX", rad, text(radius * new double[] {0.5, 1, 2}[r.nextInt(3)]), unit));
            }
            c.addAll(options);
            script.add(c.toArray(new String[0]));
            if (r.nextInt(5) == 0) {
                String dest = r.nextBoolean() ? "rg:st" : "rg:sd";
                List<String> store = new ArrayList<>(List.of("GEORADIUSBYMEMBER", "rg:g", "m" + r.nextInt(n), rad, unit,
                        dest.equals("rg:st") ? "STORE" : "STOREDIST", dest));
                options.stream().filter(o -> !o.startsWith("WITH")).forEach(store::add);
                script.add(store.toArray(new String[0]));
                script.add(new String[] {"ZRANGE", dest, "0", "-1", "WITHSCORES"});
            }
        }
        List<String> members = new ArrayList<>(List.of("GEOPOS", "rg:g"));
        for (int i = 0; i < n; i += 7) {
            members.add("m" + i);
        }
        script.add(members.toArray(new String[0]));
        members.set(0, "GEOHASH");
        script.add(members.toArray(new String[0]));
        for (int i = 0; i < 200; i++) {
            script.add(new String[] {"GEODIST", "rg:g", "m" + r.nextInt(n), "m" + r.nextInt(n), units[r.nextInt(4)]});
        }
        servers.compare(script, GeoConformanceTest::lastBitsOfStoredDistances);
    }

    /**
     * STOREDIST keeps distances with all their digits, and glibc's sin, cos and asin (which redis-server
     * uses) and Java's may differ in the last bit of a few distances in a thousand: the scores of that key
     * are compared to 12 significant digits. Everything else, STORE's hash scores included, is exact.
     */
    private static String lastBitsOfStoredDistances(String[] cmd, String reply) {
        if (!(cmd[0].equals("ZRANGE") && cmd[1].equals("rg:sd"))) {
            return reply;
        }
        StringBuilder out = new StringBuilder();
        for (String line : reply.split("\r\n")) {
            if (line.startsWith("$")) {
                continue; // lengths change with the rounding below
            }
            if (line.matches("-?[0-9.]+(e[-+]?[0-9]+)?") && line.contains(".")) {
                line = String.format(Locale.ROOT, "%.11e", Double.parseDouble(line));
            }
            out.append(line).append('\n');
        }
        return out.toString();
    }

    private static double round(double v, int decimals) {
        double f = Math.pow(10, decimals);
        return Math.round(v * f) / f;
    }

    private static String text(double v) {
        return String.format(Locale.ROOT, "%s", v);
    }
}
