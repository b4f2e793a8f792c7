package dev.basalt.command;

import dev.basalt.testutil.Conformance;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Runs the same sorted-set scripts against a real redis-server and against Basalt and compares every
 * reply byte for byte (plain sets as ZUNION/ZINTER/ZDIFF inputs included). In the scripts, words starting with '@' are keys: each test gives them its own
 * prefix, so tests never see each other's keys (no FLUSHALL needed). Scripts avoid what Redis leaves
 * open: random picks (ZRANDMEMBER on more than one member), ZSCAN paging (Redis returns a small sorted
 * set in one call whatever COUNT says), ZRANGEBYLEX over members of different scores (Basalt, like
 * Kvrocks, walks members in byte order), ZRANK WITHSCORE (Redis 7.2, the installed server is 7.0).
 */
class ZSetConformanceTest {
    @RegisterExtension
    static final Conformance servers = new Conformance();

    @Test
    void zaddAndScoreParsing() {
        servers.compareScript("add", """
                ZADD @z
                ZADD @z 1
                ZADD @z nx xx 1 a
                ZADD @z xx nx
                ZADD @z gt lt 1 a
                ZADD @z nx gt 1 a 2
                ZADD @z incr 1 a 2 b
                ZADD @z incr gt lt 1 a 2 b
                ZADD @z abc a 1 b
                ZADD @z ch 1 a 2 b
                ZADD @z ch 1 a 3 b 4 c
                ZADD @z gt ch 0 a 5 b
                ZADD @z lt ch 0 a 9 c
                ZADD @z xx ch 7 a 7 q
                ZADD @z nx ch 8 a 8 q
                ZADD @z gt incr 1 a
                ZADD @z gt incr -1 a
                ZADD @z lt incr -1 a
                ZADD @z incr 0 a
                ZADD @z nx incr 1 a
                ZADD @z incr inf a
                ZADD @z incr -inf a
                ZADD @z 1 a
                ZADD @z xx gt 100 b 100 zz
                ZADD @z xx 3 b 4 b 5 b
                ZADD @z nx 3 new 4 new
                ZADD @z ch 1 new 1 new
                ZADD @z 1 1
                ZADD @z incr
                ZADD @z NX
                ZRANGE @z 0 -1 WITHSCORES
                ZINCRBY @z inf a
                ZINCRBY @z -inf a
                ZINCRBY @z abc a
                ZINCRBY @z 1
                ZINCRBY @new 2.5 m
                ZINCRBY @new -0 m
                SET @s x
                ZADD @s 1 a
                ZADD @s xx 1 a
                ZADD @s abc a
                ZADD @y "" m
                ZADD @y " 1" m
                ZADD @y "1 " m
                ZADD @y 0x10 m
                ZSCORE @y m
                ZADD @y 1e400 m
                ZADD @y 1e-400 m
                ZADD @y 1e-310 m
                ZSCORE @y m
                ZADD @y +inf m
                ZADD @y -Infinity m
                ZSCORE @y m
                ZADD @y nan m
                ZADD @y 1.5e3 m
                ZSCORE @y m
                ZADD @y .5 m
                ZADD @y 5. m
                ZADD @y +.5e+1 m
                ZADD @y 1_0 m
                ZADD @y 0x1p3 m
                ZSCORE @y m
                ZADD @y 0x1.8p1 m
                ZSCORE @y m
                ZADD @y 1e m
                ZADD @y 0x m
                ZADD @y - m
                ZADD @y 0.1 m
                ZSCORE @y m
                ZADD @y 123456789012345678 m
                ZSCORE @y m
                ZADD @y 1e-5 m
                ZSCORE @y m
                ZADD @y 1e17 m
                ZSCORE @y m
                ZADD @y -1.5e-7 m
                ZSCORE @y m
                ZADD @zero 0 x -0 y -0.0 a
                ZRANGE @zero 0 -1 WITHSCORES
                ZSCORE @zero y
                ZRANGEBYSCORE @zero -0 0
                ZRANGEBYSCORE @zero (-0 0
                ZADD @nz1 incr -0 m
                ZSCORE @nz1 m
                ZINCRBY @nz2 -0 m
                ZRANGE @nz2 0 -1 WITHSCORES
                ZADD @nz3 0 m
                ZADD @nz3 incr -0 m
                """);
    }

    @Test
    void readsAndRemovals() {
        servers.compareScript("read", """
                ZADD @z 1 a 2 b 3 c 4 d 5 e
                SET @s x
                ZCARD @z
                ZCARD @nokey
                ZCARD @s
                ZSCORE @z c
                ZSCORE @z nope
                ZSCORE @nokey a
                ZSCORE @s a
                ZMSCORE @z a nope e
                ZMSCORE @nokey a b
                ZMSCORE @s a
                ZRANK @z c
                ZREVRANK @z c
                ZRANK @z nope
                ZRANK @nokey a
                ZRANK @s a
                ZCOUNT @z -inf +inf
                ZCOUNT @z (1 (5
                ZCOUNT @z abc 1
                ZCOUNT @nokey 1 2
                ZCOUNT @s 1 2
                ZLEXCOUNT @z - +
                ZLEXCOUNT @z a b
                ZLEXCOUNT @nokey - +
                ZREM @z nope
                ZREM @nokey a
                ZREM @s a
                ZREM @z a nope a
                ZREMRANGEBYRANK @z abc 1
                ZREMRANGEBYRANK @z 10 20
                ZREMRANGEBYRANK @s 0 1
                ZREMRANGEBYRANK @z -2 -1
                ZREMRANGEBYSCORE @z (1 2
                ZREMRANGEBYSCORE @z a 2
                ZREMRANGEBYLEX @z a b
                ZRANGE @z 0 -1 WITHSCORES
                ZREMRANGEBYRANK @z 0 -1
                ZCARD @z
                ZREMRANGEBYRANK @nokey 0 1
                ZREMRANGEBYSCORE @nokey 0 1
                ZREMRANGEBYLEX @nokey - +
                ZADD @lex 0 a 0 b 0 c 0 d 0 e
                ZREMRANGEBYLEX @lex [b (d
                ZRANGE @lex 0 -1
                ZREMRANGEBYLEX @lex + -
                ZREMRANGEBYLEX @lex - +
                ZCARD @lex
                ZADD @sc 1 a 2 b 3 c
                ZSCAN @sc abc
                ZSCAN @sc 0 count 0
                ZSCAN @sc 0 count -1
                ZSCAN @sc 0 count abc
                ZSCAN @sc 0 match
                ZSCAN @sc 0 match *a*
                ZSCAN @sc 0 match * count 100
                ZSCAN @sc 0 foo bar
                ZSCAN @nokey 0
                ZSCAN @nokey 0 count abc
                ZSCAN @s 0 count abc
                ZSCAN @s abc
                ZSCAN @sc 18446744073709551616
                ZSCAN @sc 0 novalues
                ZSCAN @sc 0 MATCH b COUNT 5
                ZADD @sc 1.5 aa
                ZSCAN @sc 0
                ZRANDMEMBER @nokey
                ZRANDMEMBER @nokey 3
                ZRANDMEMBER @sc 0
                ZRANDMEMBER @sc 1 foo
                ZRANDMEMBER @sc 1 withscores foo
                ZRANDMEMBER @sc abc
                ZRANDMEMBER @sc -9223372036854775808
                ZRANDMEMBER @sc -9223372036854775807 withscores
                ZRANDMEMBER @sc -4611686018427387904 withscores
                ZRANDMEMBER @s 1
                ZRANDMEMBER @s
                ZADD @one 1.5 only
                ZRANDMEMBER @one
                ZRANDMEMBER @one -3 withscores
                ZRANDMEMBER @one 3 withscores
                HELLO 3
                ZRANDMEMBER @one -2 withscores
                ZRANDMEMBER @one 1
                ZMSCORE @z a nope
                ZSCORE @one only
                ZSCAN @sc 0
                HELLO 2
                """);
    }

    @Test
    void rangeFamily() {
        servers.compareScript("range", """
                ZADD @z 1 a 2 b 3 c 4 d
                ZRANGE @z 0 -1 limit 0 -1
                ZRANGE @z 0 -1 limit 0 1
                ZRANGE @z 0 -1 limit 0
                ZRANGE @z 0 -1 withscores withscores
                ZRANGE @z - + bylex withscores
                ZRANGEBYLEX @z - + withscores
                ZRANGEBYSCORE @z -inf +inf limit -1 2
                ZRANGEBYSCORE @z -inf +inf limit 1 -2
                ZRANGEBYSCORE @z -inf +inf limit 1 0
                ZRANGEBYSCORE @z -inf +inf byscore
                ZREVRANGE @z 0 -1 rev
                ZRANGE @z 0 -1 rev rev
                ZRANGE @z 0 -1 byscore bylex
                ZRANGEBYSCORE @z 1 3 withscores limit 1 1
                ZRANGEBYLEX @z - + limit 1 2
                ZRANGEBYLEX @z a b
                ZRANGEBYLEX @z [a (c
                ZRANGEBYLEX @z + -
                ZRANGEBYLEX @z +a -
                ZRANGE @z abc 1
                ZRANGE @z 01 1
                ZRANGE @z 1 abc byscore
                ZRANGE @z 0 -9223372036854775808
                ZRANGESTORE @d @z 0 -1 withscores
                ZRANGESTORE @d @z 0 -1
                ZRANGE @d 0 -1 withscores
                ZRANGESTORE @d @nokey 0 -1
                ZCARD @d
                ZRANGE @z 5 1
                ZRANGE @z -100 100
                ZRANGE @z -2 -1
                ZRANGE @z 3 100
                ZRANGE @z 4 100
                ZRANGE @z -1 -2
                ZREVRANGE @z 0 1 withscores
                ZREVRANGE @z -1 -1
                ZRANGEBYSCORE @z (1 (4
                ZRANGEBYSCORE @z "" +inf
                ZRANGEBYSCORE @z " 1" +inf
                ZRANGEBYSCORE @z "1 " +inf
                ZRANGEBYSCORE @z ( +inf
                ZRANGEBYSCORE @z "( 2" +inf
                ZRANGEBYSCORE @z 0x2 +inf
                ZRANGEBYSCORE @z 1e400 +inf
                ZRANGEBYSCORE @z nan +inf
                ZRANGEBYSCORE @z (nan +inf
                ZRANGEBYSCORE @z (inf +inf
                ZRANGEBYSCORE @z ((1 +inf
                ZRANGEBYSCORE @z infinity +inf
                ZRANGEBYSCORE @z " " +inf
                ZRANGEBYSCORE @z - +inf
                ZRANGEBYSCORE @z nan(12) +inf
                ZREVRANGEBYSCORE @z 3 1
                ZREVRANGEBYSCORE @z 1 3
                ZREVRANGEBYSCORE @z +inf -inf limit 1 2 withscores
                ZREVRANGEBYSCORE @z (4 (1
                ZREVRANGEBYSCORE @z 4 4
                ZREVRANGEBYSCORE @z (4 4
                ZREVRANGEBYLEX @z + -
                ZREVRANGEBYLEX @z [c [a limit 1 1
                ZRANGEBYSCORE @z 3 1
                ZRANGEBYLEX @z [c [a
                ZRANGE @z (1 3 byscore rev
                ZRANGE @z 3 (1 byscore rev withscores
                ZRANGE @z 0 -1 limit 0 -1 withscores
                ZRANGEBYSCORE @z -inf +inf limit 0 -1 limit 1 1
                ZRANGEBYSCORE @z -inf +inf limit 5 1
                ZRANGEBYLEX @z (a (d
                ZRANGEBYLEX @z [a [a
                ZRANGEBYLEX @z (a [a
                ZRANGEBYLEX @z [aa [c
                ZREVRANGEBYLEX @z (d (a
                ZREVRANGEBYLEX @z [b -
                ZREVRANGEBYLEX @z + (c
                ZREVRANGEBYLEX @z - +
                ZRANGEBYLEX @z [ +
                ZRANGEBYLEX @z - (
                ZRANGE @z [a [c bylex
                ZRANGE @z [c [a bylex rev limit 0 2
                ZRANGESTORE @d2 @z 1 3 byscore limit 1 1
                ZRANGE @d2 0 -1 withscores
                ZRANGESTORE @d2 @z [b + bylex
                ZRANGE @d2 0 -1 withscores
                ZRANGESTORE @d2 @z + [b bylex rev limit 0 1
                ZRANGE @d2 0 -1 withscores
                ZRANGESTORE @d2 @z 0 -1 rev
                ZRANGE @d2 0 -1 withscores
                ZRANGESTORE @d2 @z 10 20
                ZCARD @d2
                SET @s x
                ZRANGE @s 0 -1 limit 0 1
                ZRANGE @s 0 -1 byscore limit 0 1
                ZRANGESTORE @d @s 0 -1
                ZRANGESTORE @s @z 10 20
                GET @s
                HELLO 3
                ZRANGE @z 0 -1 WITHSCORES
                ZRANGE @z 0 -1
                ZREVRANGEBYSCORE @z +inf -inf WITHSCORES LIMIT 1 2
                ZRANGE @nokey 0 -1 WITHSCORES
                HELLO 2
                """);
    }

    @Test
    void pops() {
        servers.compareScript("pop", """
                ZADD @z 1 a 2 b 3 c 4 d
                SET @s x
                ZPOPMIN @z 0
                ZPOPMIN @z -1
                ZPOPMIN @z abc
                ZPOPMIN @nokey
                ZPOPMIN @nokey 2
                ZPOPMIN @z
                ZPOPMAX @z 2
                ZPOPMIN @s
                ZPOPMIN @s 0
                ZPOPMIN @z 1 2
                ZMPOP 0 @z min
                ZMPOP -1 @z min
                ZMPOP abc @z min
                ZMPOP 2 @z min
                ZMPOP 1 @z foo
                ZMPOP 1 @z min count 0
                ZMPOP 1 @z min count -1
                ZMPOP 1 @z min count abc
                ZMPOP 1 @z min count 1 count 2
                ZMPOP 1 @z min count
                ZMPOP 1 @z min foo
                ZMPOP 2 @nokey @z max count 10
                ZMPOP 1 @nokey min
                ZMPOP 1 @s min
                ZMPOP 9223372036854775807 @s min
                ZCARD @z
                BZPOPMIN @z -1
                BZPOPMIN @z abc
                BZPOPMIN @nokey 0.01
                BZMPOP 0.01 1 @nokey min
                BZMPOP abc 1 @nokey min
                BZMPOP 0 0 @nokey min
                BZMPOP abc 0 @nokey min
                BZMPOP abc 1 @nokey foo
                BZMPOP -1 1 @nokey min
                BZMPOP abc 1 @nokey min count 0
                BZPOPMIN @nokey @s 0
                BZPOPMIN @s @nokey 0
                ZADD @z 1 a
                BZPOPMIN @nokey @s @z 0
                BZPOPMIN @z @s 0
                ZADD @z 1 a 2 b 3 c
                BZPOPMAX @nokey @z 0
                BZMPOP 0 2 @nokey @z min count 5
                HELLO 3
                ZADD @z 1 a 2 b
                ZPOPMIN @z
                ZPOPMIN @z
                ZADD @z 1 a 2 b
                ZPOPMIN @z 1
                ZPOPMIN @z 5
                ZPOPMIN @nokey
                ZPOPMIN @nokey 1
                ZADD @z 1 a 2 b
                ZMPOP 1 @z min
                ZMPOP 1 @z min
                ZMPOP 1 @z min
                BZPOPMIN @z 0.01
                BZMPOP 0.01 1 @z min
                ZADD @z 1 a 2 b
                BZPOPMIN @z 0.01
                BZMPOP 0.01 1 @z max
                ZADD @z 1.5 c 2.5 d
                ZPOPMAX @z 0
                ZPOPMAX @z 2
                HELLO 2
                ZADD @z 1 a 2 b
                ZMPOP 1 @z min
                ZMPOP 1 @z max count 3
                ZMPOP 1 @z min
                """);
    }

    @Test
    void unionInterDiff() {
        servers.compareScript("ops", """
                ZADD @a 1 x 2 y 3 z
                ZADD @b 10 y 20 z 30 w
                SET @str v
                ZUNION 0 @a
                ZUNION -1 @a
                ZUNION abc @a
                ZUNION 3 @a @b
                ZUNION 2 @a @b weights 1
                ZUNION 2 @a @b weights 1 abc
                ZUNION 2 @a @b weights 1 nan
                ZUNION 2 @a @b weights 1 2 3
                ZUNION 2 @a @b aggregate foo
                ZUNION 2 @a @b aggregate
                ZUNION 2 @a @b withscores
                ZUNION 2 @a @b
                ZUNION 2 @a @b weights 2 0.5 aggregate max withscores
                ZUNION 2 @a @b weights 2 0.5 aggregate min withscores
                ZUNION 2 @a @b aggregate min aggregate max withscores
                ZUNION 2 @a @b weights 1 1 weights 2 2 withscores
                ZUNION 2 @a @b withscores withscores
                ZUNION 2 @a @str withscores
                ZUNION 2 @str @a foo
                ZINTER 2 @a @b withscores
                ZINTER 2 @a @b weights 1 -1 withscores
                ZINTER 2 @a @b aggregate max withscores
                ZINTER 2 @a @nokey withscores
                ZINTER 2 @a @a withscores
                ZDIFF 2 @a @b withscores
                ZDIFF 2 @b @a withscores
                ZDIFF 2 @a @b weights 1 2
                ZDIFF 2 @a @b aggregate sum
                ZDIFF 0 @a
                ZDIFF 1 @nokey
                ZDIFF 2 @a @nokey withscores
                ZUNIONSTORE @d 2 @a @b
                ZUNIONSTORE @d 2 @a @b withscores
                ZRANGE @d 0 -1 withscores
                ZINTERSTORE @d 2 @a @b aggregate min
                ZRANGE @d 0 -1 withscores
                ZINTERSTORE @d 2 @a @nokey
                ZCARD @d
                ZDIFFSTORE @d 1 @a
                ZRANGE @d 0 -1 withscores
                ZDIFFSTORE @d 0 @a
                ZUNIONSTORE @d 0 @a
                ZUNIONSTORE @str 1 @a
                ZRANGE @str 0 -1 withscores
                ZINTERCARD 0 @a
                ZINTERCARD 2 @a @b
                ZINTERCARD 2 @a @b limit 1
                ZINTERCARD 2 @a @b limit 0
                ZINTERCARD 2 @a @b limit -1
                ZINTERCARD 2 @a @b limit abc
                ZINTERCARD 2 @a @b withscores
                ZINTERCARD 3 @a @b
                ZINTERCARD 1 @nokey
                ZUNION 2 @a @b weights inf -inf withscores
                ZUNION 2 @a @b weights 0 inf withscores
                ZADD @i 1 x
                ZADD @j inf x
                ZADD @k -inf x
                ZUNION 2 @j @k withscores
                ZINTER 2 @j @k withscores
                ZINTER 2 @j @k aggregate min withscores
                ZINTER 2 @i @i withscores
                ZINTER 3 @i @j @k withscores
                ZUNION 3 @i @j @k withscores
                ZUNION 3 @i @j @k weights 0 1 1 withscores
                ZINTER 2 @i @j weights 0 0 withscores
                ZADD @f 0.1 p 0.2 q
                ZADD @g 0.2 p 0.1 q 0.3 r
                ZADD @h 0.3 p 0.3 q
                ZUNION 3 @f @g @h withscores
                ZINTER 3 @f @g @h withscores
                ZUNION 3 @h @g @f withscores
                ZADD @zero 0 x 0 y 1 z
                ZUNION 1 @zero weights -1 withscores
                ZUNIONSTORE @neg 1 @zero weights -1
                ZRANGE @neg 0 -1 withscores
                HELLO 3
                ZUNION 2 @a @b withscores
                ZINTER 2 @a @b
                ZDIFF 2 @a @b withscores
                HELLO 2
                SADD @set y w
                SADD @one y
                ZUNION 2 @a @set WITHSCORES
                ZUNION 2 @set @a WEIGHTS 5 1 AGGREGATE MIN WITHSCORES
                ZINTER 2 @b @set WITHSCORES
                ZINTER 2 @one @set WITHSCORES
                ZDIFF 2 @b @set WITHSCORES
                ZDIFF 2 @one @a WITHSCORES
                ZDIFF 2 @set @a WITHSCORES
                ZINTERCARD 3 @a @b @set
                ZINTERSTORE @fromset 2 @set @b WEIGHTS 2 1
                ZRANGE @fromset 0 -1 WITHSCORES
                ZUNIONSTORE @set 2 @set @one
                TYPE @set
                ZRANGE @set 0 -1 WITHSCORES
                HSET @hash f v
                ZUNION 2 @a @hash
                ZUNION 2 @nokey @nokey2
                ZUNIONSTORE @d 2 @nokey @nokey2
                ZCARD @d
                """);
    }

    /** A few hundred members with repeated, fractional and infinite scores (skiplist-encoded in Redis). */
    @Test
    void bigRandomSet() {
        Random random = new Random(7);
        StringBuilder script = new StringBuilder();
        List<String> pairs = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String score = switch (random.nextInt(5)) {
                case 0 -> Integer.toString(random.nextInt(101) - 50);
                case 1 -> String.format(Locale.ROOT, "%.3f", random.nextDouble() * 200 - 100);
                case 2 -> "inf";
                case 3 -> "-inf";
                default -> "0";
            };
            pairs.add(score);
            pairs.add(String.format("m%03d", random.nextInt(400)));
        }
        for (int i = 0; i < pairs.size(); i += 40) {
            script.append("ZADD @big ").append(String.join(" ", pairs.subList(i, i + 40))).append('\n');
        }
        script.append("ZCARD @big\nZRANGE @big 0 -1 WITHSCORES\nZREVRANGE @big 0 -1 WITHSCORES\n");
        for (String q : new String[] {"-inf +inf", "(0 10", "-10 (0", "-inf -inf", "inf inf", "(-inf (inf", "0 0", "-0 0", "(-5.5 42"}) {
            String[] mm = q.split(" ");
            script.append("ZRANGEBYSCORE @big ").append(q).append(" WITHSCORES\n");
            script.append("ZREVRANGEBYSCORE @big ").append(mm[1]).append(' ').append(mm[0]).append(" WITHSCORES\n");
            script.append("ZCOUNT @big ").append(q).append('\n');
            script.append("ZRANGEBYSCORE @big ").append(q).append(" LIMIT 3 7\n");
            script.append("ZREVRANGEBYSCORE @big ").append(mm[1]).append(' ').append(mm[0]).append(" LIMIT 3 7\n");
        }
        for (int m = 0; m < 400; m += 13) {
            String member = String.format("m%03d", m);
            script.append("ZRANK @big ").append(member).append("\nZREVRANK @big ").append(member)
                    .append("\nZSCORE @big ").append(member).append('\n');
        }
        for (String q : new String[] {"0 9", "-10 -1", "100 150", "-300 300"}) {
            script.append("ZRANGE @big ").append(q).append(" WITHSCORES\nZREVRANGE @big ").append(q).append('\n');
        }
        StringBuilder lex = new StringBuilder("ZADD @lex");
        for (int i = 0; i < 200; i++) {
            lex.append(String.format(" 0 m%03d", i));
        }
        script.append(lex).append('\n');
        for (String q : new String[] {"[m050 (m100", "- +", "(m000 [m199", "[m1 [m2", "- [m010"}) {
            String[] mm = q.split(" ");
            script.append("ZRANGEBYLEX @lex ").append(q).append('\n');
            script.append("ZREVRANGEBYLEX @lex ").append(mm[1]).append(' ').append(mm[0]).append(" LIMIT 2 5\n");
            script.append("ZLEXCOUNT @lex ").append(q).append('\n');
        }
        script.append("""
                ZUNIONSTORE @u 2 @big @lex WEIGHTS 2 3 AGGREGATE MAX
                ZRANGE @u 0 -1 WITHSCORES
                ZINTERSTORE @u 2 @big @lex
                ZRANGE @u 0 -1 WITHSCORES
                ZDIFF 2 @big @lex WITHSCORES
                ZPOPMIN @big 5
                ZPOPMAX @big 5
                ZREMRANGEBYRANK @big 10 20
                ZREMRANGEBYSCORE @big (0 10
                ZRANGE @big 0 -1 WITHSCORES
                ZREMRANGEBYLEX @lex [m050 [m150
                ZRANGE @lex 0 -1
                ZMPOP 2 @nokey @big MAX COUNT 12
                ZRANGE @big 0 -1 WITHSCORES
                """);
        servers.compareScript("big", script.toString());
    }
}
