package dev.basalt.command;

import dev.basalt.testutil.Conformance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Runs the same SORT/SORT_RO scripts against a real redis-server and against Basalt and compares every
 * reply byte for byte. Words starting with '@' are keys (patterns too): each test gives them its own
 * prefix. SORT's results are deterministic except where Redis leaves them open, which the scripts
 * avoid: BY nosort on a set without STORE (Redis's hash order), and ALPHA BY ties (elements whose BY
 * values are equal or both missing) combined with LIMIT, where Redis's partial quicksort is not
 * stable. ALPHA without BY or STORE uses strcoll in Redis: those scripts stick to lower-case letters
 * and digits, which every locale orders as bytes do.
 */
class SortConformanceTest {
    @RegisterExtension
    static final Conformance servers = new Conformance();

    @Test
    void listsNumericAlphaLimit() {
        servers.compareScript("list", """
                RPUSH @l 3 1 2 10 5 -4 2.5 10 0x10 " 7" -0 0 +1
                SORT @l
                SORT @l DESC
                SORT @l ASC
                SORT @l DESC ASC
                SORT @l asc desc
                SORT_RO @l
                SORT_RO @l DESC LIMIT 2 3
                RPUSH @a b a c ab ba 10 9 1
                SORT @a ALPHA
                SORT @a alpha DESC
                SORT @a ALPHA LIMIT 1 3
                SORT @a ALPHA LIMIT 1 3 DESC
                SORT @a
                SORT @l LIMIT 0 0
                SORT @l LIMIT 0 -1
                SORT @l LIMIT 1 3
                SORT @l LIMIT -5 2
                SORT @l LIMIT 4 -3
                SORT @l LIMIT 12 5
                SORT @l LIMIT 13 5
                SORT @l LIMIT 100 5
                SORT @l LIMIT 1 9223372036854775807
                SORT @l LIMIT 2 9223372036854775807
                SORT @l LIMIT 9223372036854775807 9223372036854775807
                SORT @l LIMIT -9223372036854775808 -9223372036854775808
                SORT @l LIMIT 0 1 LIMIT 3 2
                SORT @l DESC LIMIT 0 4
                SORT @nokey
                SORT @nokey LIMIT 0 5 DESC ALPHA
                SORT_RO @nokey
                """);
    }

    @Test
    void unsortedListsAndSortedSets() {
        servers.compareScript("nosort", """
                RPUSH @l c a d b e
                SORT @l BY nosort
                SORT @l BY nosort DESC
                SORT @l BY nosort LIMIT 1 2
                SORT @l BY nosort LIMIT 1 2 DESC
                SORT @l BY nosort LIMIT 3 10 DESC
                SORT @l BY nosort LIMIT 4 10
                SORT @l BY nosort LIMIT 5 1
                SORT @l BY nosort LIMIT -3 2
                SORT @l BY nosort LIMIT 2 -1 DESC
                SORT @l BY nosort ALPHA
                SORT @l BY nosort BY @w_*
                SORT @l BY "" DESC
                SORT @l BY #
                SORT @l BY nosort GET # GET @v_*
                SET @v_a va
                SET @v_e ve
                SORT @l BY nosort GET @v_* LIMIT 0 3 DESC
                ZADD @z 3 a 1 b 2 c 5 d 4 e 4 f
                SORT @z BY nosort
                SORT @z BY nosort DESC
                SORT @z BY nosort LIMIT 1 2
                SORT @z BY nosort LIMIT 1 2 DESC
                SORT @z BY nosort LIMIT 4 10 DESC
                SORT @z BY nosort LIMIT 6 1
                SORT @z BY nosort LIMIT 0 0
                SORT @z BY nosort GET # GET @v_*
                SORT @z BY nosort STORE @dz
                LRANGE @dz 0 -1
                SORT @z BY nosort DESC LIMIT 1 3 STORE @dz
                LRANGE @dz 0 -1
                SORT @z ALPHA
                SORT @z ALPHA DESC LIMIT 1 3
                SORT @z
                ZADD @zn 1 10 2 9 3 -1 4 2.5
                SORT @zn
                SORT @zn DESC LIMIT 1 2
                SORT @zn ALPHA
                SORT_RO @zn BY nosort
                """);
    }

    @Test
    void setsSortDeterministically() {
        servers.compareScript("set", """
                SADD @s 10 9 100 -3 0 7
                SORT @s
                SORT @s DESC
                SORT @s ALPHA
                SORT @s LIMIT 1 2
                SORT @s BY nosort STORE @d
                LRANGE @d 0 -1
                SORT @s BY nosort DESC STORE @d
                LRANGE @d 0 -1
                SORT @s BY nosort LIMIT 1 3 STORE @d
                LRANGE @d 0 -1
                SORT @s BY nosort GET @o_* STORE @d
                LRANGE @d 0 -1
                SADD @w b a c ab B Zed zed A 1
                SORT @w ALPHA STORE @d
                LRANGE @d 0 -1
                SORT @w ALPHA DESC STORE @d
                LRANGE @d 0 -1
                SORT @w
                SORT @w BY nosort STORE @d
                LRANGE @d 0 -1
                SORT_RO @s
                SCARD @s
                """);
    }

    @Test
    void byAndGetPatterns() {
        servers.compareScript("pat", """
                RPUSH @l 3 1 2 4
                MSET @w_1 30 @w_2 20 @w_3 10 @o_1 one @o_2 two @o_4 four
                HSET @h_1 f x1 n 5
                HSET @h_3 f x3 a->b y3 n 1
                HSET @h_4 f x0 n 1
                SORT @l BY @w_*
                SORT @l BY @w_* DESC
                SORT @l BY @w_* LIMIT 1 2
                SORT @l BY @w_* GET #
                SORT @l BY @w_* GET @o_* GET # GET @h_*->f
                SORT @l GET @h_*->a->b
                SORT @l GET @h_*->
                SORT @l GET @h_*-
                SORT @l GET @h_*->nope
                SORT @l GET @o_*->f
                SORT @l GET @h_*
                SORT @l GET nostar
                SORT @l GET #
                SORT @l GET ##
                SORT @l GET #*
                SORT @l GET @o_*x
                SORT @l BY @h_*->f ALPHA
                SORT @l BY @h_*->f ALPHA DESC
                SORT @l BY @h_*->f
                SORT @l BY @h_*->n
                SORT @l BY @h_*->n DESC
                SORT @l BY @o_* ALPHA
                SORT @l BY @o_* ALPHA DESC GET @o_*
                SORT @l BY @nothing_* GET #
                SORT @l BY @nothing_* DESC
                SORT @l BY @w_* BY nosort
                SORT @l BY @w_* STORE @dst
                LRANGE @dst 0 -1
                SORT @l BY @w_* GET @o_* GET @nothing_* STORE @dst
                LRANGE @dst 0 -1
                SORT @l GET @l
                RPUSH @p a*b c
                SET @k_a*b star
                SORT @p ALPHA GET @k_*
                SORT @p ALPHA GET @k_**
                RPUSH @@x_1 y
                SORT @l GET @@x_*
                """);
    }

    @Test
    void numericParsingAndErrors() {
        servers.compareScript("num", """
                RPUSH @ok 4 " 12" 0x10 inf -inf "" +5 .5 5. infinity -0 0x1p3 1e308 0x1p-1070 0x.8p-1022 "  -3" 2.2250738585072014e-308 1E2
                SORT @ok
                SORT @ok DESC
                RPUSH @nan 4 nan
                SORT @nan
                RPUSH @big 4 1e400
                SORT @big
                RPUSH @tiny 4 1e-400
                SORT @tiny
                RPUSH @sub 4 1e-310
                SORT @sub
                RPUSH @sub2 4 4.9406564584124654e-324
                SORT @sub2
                RPUSH @sub3 4 2.2250738585072011e-308
                SORT @sub3
                RPUSH @abc 4 12abc
                SORT @abc
                SORT @abc ALPHA
                SORT @abc BY nosort
                RPUSH @sp 4 "  "
                SORT @sp
                RPUSH @tr 4 "1 "
                SORT @tr
                RPUSH @nn 4 "nan(123)"
                SORT @nn
                RPUSH @x 4 0X
                SORT @x
                RPUSH @m 4 -
                SORT @m
                RPUSH @e 4 1e
                SORT @e
                RPUSH @e2 4 12e+
                SORT @e2
                RPUSH @q 1 2 3
                SET @bw_1 5
                SET @bw_2 notanumber
                SORT @q BY @bw_*
                SORT @q BY @bw_* ALPHA
                SORT @q BY @bw_* LIMIT 0 1
                SORT @q BY @bw_* STORE @qd
                EXISTS @qd
                """);
    }

    @Test
    void storeReplacesAndDeletes() {
        servers.compareScript("store", """
                RPUSH @l 3 1 2
                SET @d old EX 100
                SORT @l STORE @d
                TYPE @d
                TTL @d
                LRANGE @d 0 -1
                HSET @h f v
                SORT @l DESC STORE @h
                LRANGE @h 0 -1
                SADD @s x
                SORT @l LIMIT 1 1 STORE @s
                LRANGE @s 0 -1
                ZADD @z 1 m
                SORT @l STORE @z
                LRANGE @z 0 -1
                SORT @nokey STORE @d
                EXISTS @d
                SORT @nokey STORE @nokey2
                EXISTS @nokey2
                SORT @l LIMIT 5 5 STORE @h
                EXISTS @h
                SORT @l STORE @l
                LRANGE @l 0 -1
                SORT @l DESC STORE @l
                LRANGE @l 0 -1
                SORT @l GET # GET @missing_* STORE @d
                LRANGE @d 0 -1
                SORT @l STORE @d1 STORE @d2
                EXISTS @d1
                LRANGE @d2 0 -1
                SORT @l GET # STORE @d LIMIT 0 2 GET #
                LRANGE @d 0 -1
                """);
    }

    @Test
    void errors() {
        servers.compareScript("err", """
                RPUSH @l 3 1 2
                SET @str x
                HSET @h f v
                SORT
                SORT_RO
                SORT @str
                SORT_RO @str
                SORT @h
                SORT @str LIMIT 0 1
                SORT @str FOO
                SORT @str STORE @d
                EXISTS @d
                SORT @l FOO
                SORT @l ALPHA FOO
                SORT @l LIMIT
                SORT @l LIMIT 1
                SORT @l LIMIT a 1
                SORT @l LIMIT 1 a
                SORT @l LIMIT 1.5 1
                SORT @l LIMIT 1 9223372036854775808
                SORT @l LIMIT a b FOO
                SORT @l FOO LIMIT a b
                SORT @l STORE
                SORT @l BY
                SORT @l GET
                SORT @l GET # BY
                SORT_RO @l STORE @d
                SORT_RO @l STORE
                SORT_RO @l LIMIT a b STORE @d
                SORT_RO @l STORE @d LIMIT a b
                SORT_RO @l FOO
                EXISTS @d
                sort @l desc alpha limit 0 2 get #
                SoRt_Ro @l DeSc
                """);
    }

    @Test
    void binaryAndNulBytes() {
        servers.compareScript("bin", """
                RPUSH @l "1\u0000x" 2 "\u0000" 0
                SORT @l
                SORT @l BY "@w_\u0000*"
                SORT @l GET "#\u0000x"
                SORT @l GET "@v_\u0000*"
                RPUSH @b b "a\u0000b" a "a\u0000"
                SORT @b ALPHA STORE @d
                LRANGE @d 0 -1
                SET "@v_a\u0000" nul
                SORT @b BY nosort GET @v_* GET #
                """);
    }

    @Test
    void transactionsAndResp3() {
        servers.compareScript("tx", """
                RPUSH @l 2 1 3
                MULTI
                SORT @l
                SORT @l STORE @d
                SORT @l FOO
                SORT_RO @l DESC
                LRANGE @d 0 -1
                EXEC
                HELLO 3
                SORT @l GET # GET @none_*
                SORT @l STORE @d
                SORT_RO @nokey
                HELLO 2
                """);
    }

    @Test
    void commandIntrospection() {
        servers.compareScript("cmd", """
                COMMAND GETKEYS SORT @l
                COMMAND GETKEYS SORT @l STORE @d
                COMMAND GETKEYS SORT @l LIMIT 0 1 GET # BY @w_* STORE @d ALPHA
                COMMAND GETKEYS SORT @l STORE @d1 STORE @d2
                COMMAND GETKEYS SORT @l FOO
                COMMAND GETKEYS SORT_RO @l
                COMMAND GETKEYS SORT_RO @l GET #
                """);
    }
}
