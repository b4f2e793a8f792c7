package dev.basalt.command;

import dev.basalt.testutil.Conformance;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Runs the same list-command scripts against a real redis-server and against Basalt and compares
 * every reply byte for byte: every command's replies and errors (in Redis's order of checks), RESP3
 * nulls, MULTI/EXEC, blocking commands that are served at once or time out quickly, timeout parsing,
 * and a long random script of mixed list operations. Keys are never reused across scripts, so no DEL
 * is needed.
 */
class ListConformanceTest {
    @RegisterExtension
    static final Conformance servers = new Conformance();

    private static String[] c(String... args) {
        return args;
    }

    /** One command per line, arguments split on spaces; "..." quotes an argument (may be empty or hold spaces). */
    private static List<String[]> script(String text) {
        List<String[]> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            line = line.strip();
            if (line.isEmpty()) {
                continue;
            }
            List<String> args = new ArrayList<>();
            int i = 0;
            while (i < line.length()) {
                if (line.charAt(i) == ' ') {
                    i++;
                } else if (line.charAt(i) == '"') {
                    int end = line.indexOf('"', i + 1);
                    args.add(line.substring(i + 1, end));
                    i = end + 1;
                } else {
                    int end = line.indexOf(' ', i);
                    end = end < 0 ? line.length() : end;
                    args.add(line.substring(i, end));
                    i = end;
                }
            }
            out.add(args.toArray(new String[0]));
        }
        return out;
    }

    @Test
    void pushPopIndexAndRange() {
        servers.compare(script("""
                LPOP p:none
                LPOP p:none 0
                LPOP p:none 1
                LPOP p:none -1
                LPOP p:none abc
                RPUSH p:a a b c
                LPOP p:a 0
                LPOP p:a -1
                LPOP p:a 2
                LPOP p:a 5
                LLEN p:a
                LPOP p:a 1 2
                RPOP p:none 3
                RPUSH p:b 1 2 3 4 5
                RPOP p:b
                RPOP p:b 2
                LPOP p:b 00
                LPOP p:b 9223372036854775807
                LPOP p:b 9223372036854775808
                LPUSHX p:none a
                RPUSHX p:none a
                LPUSH p:c a
                LPUSHX p:c b c
                RPUSHX p:c d
                LRANGE p:c 0 -1
                LPUSHX p:c
                LPUSH p:c
                LLEN p:none
                LINDEX p:none 0
                LINDEX p:none abc
                RPUSH p:d a b c
                LINDEX p:d abc
                LINDEX p:d -1
                LINDEX p:d 3
                LINDEX p:d -4
                LINDEX p:d 0
                LINDEX p:d 00
                LINDEX p:d -0
                LINDEX p:d +1
                LINDEX p:d " 1"
                LINDEX p:d 9223372036854775807
                LINDEX p:d -9223372036854775808
                LINDEX p:d 9223372036854775808
                LRANGE p:d 0 -1
                LRANGE p:d abc 1
                LRANGE p:d 0 abc
                LRANGE p:d 5 10
                LRANGE p:d -100 100
                LRANGE p:d 1 0
                LRANGE p:d -2 -1
                LRANGE p:d 2 2
                LRANGE p:d 3 3
                LRANGE p:d -9223372036854775808 9223372036854775807
                LRANGE p:none 0 -1
                LRANGE p:none abc 1
                LPUSH p:e "" "with space" "\\r\\n"
                LRANGE p:e 0 -1
                LLEN p:e
                """));
    }

    @Test
    void setTrimRemoveInsert() {
        servers.compare(script("""
                LSET t:none 0 x
                LSET t:none abc x
                RPUSH t:a a b c
                LSET t:a 5 x
                LSET t:a -4 x
                LSET t:a abc x
                LSET t:a -1 z
                LSET t:a 0 a
                LRANGE t:a 0 -1
                LTRIM t:none 0 1
                LTRIM t:none abc 1
                LTRIM t:a abc 1
                LTRIM t:a 0 abc
                LTRIM t:a 0 -1
                LTRIM t:a -9223372036854775808 9223372036854775807
                LRANGE t:a 0 -1
                LTRIM t:a 5 10
                LLEN t:a
                LPUSH t:b 1 2 3 4 5 6 7 8 9 10
                LTRIM t:b 2 -3
                LRANGE t:b 0 -1
                LTRIM t:b 1 1
                LRANGE t:b 0 -1
                LTRIM t:b 1 0
                LLEN t:b
                RPUSH t:c a b a c a
                LREM t:c abc a
                LREM t:c -2 a
                LRANGE t:c 0 -1
                LREM t:none 1 a
                LREM t:none abc a
                LREM t:c 0 zz
                LREM t:c 5 a
                LREM t:c 1 b
                LRANGE t:c 0 -1
                LREM t:c 0 c
                LLEN t:c
                RPUSH t:d x a x b x c x
                LREM t:d -9223372036854775808 x
                LRANGE t:d 0 -1
                LINSERT t:d middle b x
                LINSERT t:d before zz x
                LINSERT t:none before b x
                LINSERT t:none middle b x
                LINSERT t:d after b x
                LINSERT t:d BEFORE a first
                LINSERT t:d AfTeR c last
                LRANGE t:d 0 -1
                LINSERT t:d before x y
                LRANGE t:d 0 -1
                """));
    }

    @Test
    void lposOptions() {
        servers.compare(script("""
                RPUSH o:a a b a c a
                LPOS o:a a
                LPOS o:a c
                LPOS o:a zz
                LPOS o:a a RANK 0
                LPOS o:a a RANK abc
                LPOS o:a a COUNT -1
                LPOS o:a a COUNT abc
                LPOS o:a a MAXLEN -1
                LPOS o:a a MAXLEN abc
                LPOS o:a a COUNT
                LPOS o:a a FOO 1
                LPOS o:none a
                LPOS o:none a COUNT 0
                LPOS o:none a RANK 0
                LPOS o:a zz COUNT 0
                LPOS o:a a COUNT 0
                LPOS o:a a COUNT 2
                LPOS o:a a RANK 2
                LPOS o:a a RANK -1
                LPOS o:a a RANK -2 COUNT 0
                LPOS o:a a RANK 1 RANK 2
                LPOS o:a a RANK -1 COUNT 2
                LPOS o:a a RANK 2 COUNT 0 MAXLEN 3
                LPOS o:a a RANK -2 MAXLEN 2
                LPOS o:a a RANK 9223372036854775807
                LPOS o:a a RANK -9223372036854775808
                LPOS o:a a COUNT 0 RANK -9223372036854775808
                LPOS o:a a MAXLEN 1
                LPOS o:a a MAXLEN 0 COUNT 1
                """));
    }

    @Test
    void moveAndMultiPop() {
        servers.compare(script("""
                LMOVE m:none m:a left right
                LMOVE m:none m:a up right
                RPUSH m:a a b c
                LMOVE m:a m:a left left
                LMOVE m:a m:a LEFT RIGHT
                LRANGE m:a 0 -1
                LMOVE m:a m:a right LEFT
                LRANGE m:a 0 -1
                LMOVE m:a m:a up right
                LMOVE m:a m:b right LEFT
                LMOVE m:a m:b left right
                LRANGE m:b 0 -1
                RPOPLPUSH m:a m:b
                RPOPLPUSH m:a m:b
                LRANGE m:b 0 -1
                LLEN m:a
                RPUSH m:one only
                LMOVE m:one m:one left right
                LRANGE m:one 0 -1
                LMPOP 0 m:b left
                LMPOP 1 m:b middle
                LMPOP 2 m:b left
                LMPOP abc m:b left
                LMPOP -1 m:b left
                LMPOP 1 m:b left COUNT 0
                LMPOP 1 m:b left COUNT abc
                LMPOP 1 m:b left COUNT -1
                LMPOP 1 m:b left COUNT 2 COUNT 3
                LMPOP 1 m:b left FOO 2
                LMPOP 1 m:b left COUNT
                LMPOP 9223372036854775807 m:b left
                LMPOP 9223372036854775806 m:b left
                LMPOP 3 m:b left
                LMPOP 2 m:none m:b right COUNT 2
                LMPOP 1 m:b LEFT COUNT 9223372036854775807
                LMPOP 1 m:none left
                LMPOP 2 m:none m:b left
                """));
    }

    @Test
    void wrongTypeEverywhere() {
        servers.compare(script("""
                SET w:s str
                RPUSH w:l a
                LPUSH w:s a
                RPUSH w:s a
                LPUSHX w:s a
                RPUSHX w:s a
                LPOP w:s
                LPOP w:s 0
                LPOP w:s abc
                RPOP w:s
                LLEN w:s
                LINDEX w:s 0
                LINDEX w:s abc
                LSET w:s 0 x
                LRANGE w:s 0 1
                LRANGE w:s abc 1
                LTRIM w:s 0 1
                LREM w:s 0 a
                LINSERT w:s before a b
                LPOS w:s a
                LPOS w:s a RANK 0
                LMOVE w:s w:l left left
                LMOVE w:l w:s left left
                LMOVE w:none w:s left left
                RPOPLPUSH w:l w:s
                RPOPLPUSH w:none w:s
                LMPOP 1 w:s left
                LMPOP 2 w:none w:s left
                LMPOP 2 w:l w:s left
                BLPOP w:none w:s 0
                BLPOP w:s w:l 0
                BLMPOP 0 2 w:s w:l LEFT
                BLPOP w:l w:s 0
                RPUSH w:l a
                BLMOVE w:l w:s left left 0
                BLMOVE w:s w:l left left 0
                BLMOVE w:none w:s left left 0.01
                BRPOPLPUSH w:s w:l 0
                BLMPOP 0 1 w:s left
                LRANGE w:l 0 -1
                """));
    }

    @Test
    void blockingCommandsServedAtOnceOrTimingOut() {
        servers.compare(script("""
                BLPOP b:none 0.01
                BRPOP b:none b:none2 0.01
                BLMOVE b:none b:x left left 0.01
                BRPOPLPUSH b:none b:x 0.01
                BLMPOP 0.01 1 b:none left
                BLPOP b:none abc
                BLPOP b:none -1
                BLPOP b:none inf
                BLPOP b:none 1e400
                BLPOP b:none " 1"
                BLPOP b:none 0x
                BLMPOP abc 1 b:none left
                BLMPOP 0 0 b:none left
                BLMPOP 0 1 b:none middle
                BLMOVE b:none b:x up left abc
                BLMOVE b:none b:x left left abc
                BRPOPLPUSH b:none b:x -1
                RPUSH b:a 1 2 3
                BLPOP b:none b:a 0
                BRPOP b:a 0
                BLMOVE b:a b:dst right left 0
                RPUSH b:a 4 5 6
                BRPOPLPUSH b:a b:dst 0
                BLMPOP 0 2 b:none b:a right COUNT 5
                LRANGE b:dst 0 -1
                BLPOP b:none 0.0001
                BLPOP b:none 0x1P-20
                BLPOP a 1 2 3 abc
                """));
    }

    @Test
    void resp3AndTransactions() {
        servers.compare(script("""
                HELLO 3
                LPOP r:none
                LPOP r:none 0
                LPOP r:none 1
                LINDEX r:none 0
                LPOS r:none a
                LPOS r:none a COUNT 0
                LMPOP 1 r:none left
                LRANGE r:none 0 -1
                LMOVE r:none r:b left left
                BLPOP r:none 0.01
                BLMOVE r:none r:x left left 0.01
                BRPOPLPUSH r:none r:x 0.01
                BLMPOP 0.01 1 r:none left
                RPUSH r:a a b c
                LMPOP 1 r:a left COUNT 2
                BLMPOP 0 1 r:a right
                MULTI
                BLPOP r:a 0
                BLMOVE r:a r:x left left 0
                BRPOPLPUSH r:a r:x 0
                BLMPOP 0 1 r:a left
                BRPOP r:a 0
                EXEC
                HELLO 2
                MULTI
                BLPOP r:a 0
                BLMOVE r:a r:x left left 0
                BRPOPLPUSH r:a r:x 0
                BLMPOP 0 1 r:a left
                BRPOP r:a 0
                RPUSH r:a z
                BLPOP r:a 0
                LSET r:a 0 x
                LSET r:none 0 x
                RPUSH r:t 1 2 3
                LINSERT r:t before 2 x
                LREM r:t 0 x
                LTRIM r:t 0 0
                LRANGE r:t 0 -1
                EXEC
                LLEN r:t
                """));
    }

    @Test
    void keyCommandsOnLists() {
        servers.compare(script("""
                RPUSH k:a 1 2 3
                LPUSH k:a 0
                TYPE k:a
                OBJECT ENCODING k:a
                RENAME k:a k:b
                EXISTS k:a
                LRANGE k:b 0 -1
                COPY k:b k:c
                LPUSH k:c -1
                RPOP k:b
                LRANGE k:b 0 -1
                LRANGE k:c 0 -1
                EXISTS k:a k:b k:c
                DEL k:b
                LLEN k:b
                LPUSHX k:b x
                EXPIRE k:c 100
                PERSIST k:c
                PERSIST k:c
                RPUSH k:d x
                LPOP k:d
                EXISTS k:d
                TYPE k:d
                RPUSH k:e x
                PEXPIRE k:e 1
                BLPOP k:sleep 0.02
                LLEN k:e
                LPOP k:e
                RPUSH k:e y
                LRANGE k:e 0 -1
                SET k:s v
                RPOPLPUSH k:e k:s
                DEL k:s
                RPOPLPUSH k:e k:s
                TYPE k:s
                """));
    }

    /** Random mixed list operations on three keys; every reply compared. */
    @Test
    void randomScript() {
        Random rnd = new Random(7107);
        String[] keys = {"z:a", "z:b", "z:c"};
        String[] values = {"x", "y", "z", "w"};
        List<String[]> script = new ArrayList<>();
        for (int i = 0; i < 800; i++) {
            String k = keys[rnd.nextInt(keys.length)];
            String k2 = keys[rnd.nextInt(keys.length)];
            String v = values[rnd.nextInt(values.length)];
            String side = rnd.nextBoolean() ? "LEFT" : "RIGHT";
            String side2 = rnd.nextBoolean() ? "LEFT" : "RIGHT";
            String n = Integer.toString(rnd.nextInt(9) - 4);
            String m = Integer.toString(rnd.nextInt(9) - 4);
            switch (rnd.nextInt(18)) {
                case 0 -> script.add(c("LPUSH", k, v, values[rnd.nextInt(values.length)]));
                case 1 -> script.add(c("RPUSH", k, v));
                case 2 -> script.add(c(rnd.nextBoolean() ? "LPUSHX" : "RPUSHX", k, v));
                case 3 -> script.add(rnd.nextBoolean() ? c("LPOP", k) : c("RPOP", k, Integer.toString(rnd.nextInt(4))));
                case 4 -> script.add(c("LINDEX", k, n));
                case 5 -> script.add(c("LSET", k, n, v + i));
                case 6 -> script.add(c("LRANGE", k, n, m));
                case 7 -> script.add(c("LTRIM", k, n, Integer.toString(rnd.nextInt(12) - 2)));
                case 8 -> script.add(c("LREM", k, n, v));
                case 9 -> script.add(c("LINSERT", k, rnd.nextBoolean() ? "BEFORE" : "AFTER", v,
                        values[rnd.nextInt(values.length)]));
                case 10 -> {
                    String rank = Integer.toString(rnd.nextBoolean() ? 1 + rnd.nextInt(3) : -1 - rnd.nextInt(3));
                    script.add(c("LPOS", k, v, "RANK", rank, "COUNT", Integer.toString(rnd.nextInt(3)),
                            "MAXLEN", Integer.toString(rnd.nextInt(6))));
                }
                case 11 -> script.add(c("LPOS", k, v));
                case 12 -> script.add(c("LMOVE", k, k2, side, side2));
                case 13 -> script.add(c("RPOPLPUSH", k, k2));
                case 14 -> script.add(c("LMPOP", "2", k, k2, side, "COUNT", Integer.toString(1 + rnd.nextInt(3))));
                case 15 -> script.add(c(rnd.nextBoolean() ? "BLPOP" : "BRPOP", k, k2, "0.01"));
                case 16 -> script.add(c("LLEN", k));
                default -> script.add(c("LRANGE", k, "0", "-1"));
            }
        }
        for (String k : keys) {
            script.add(c("LRANGE", k, "0", "-1"));
        }
        servers.compare(script);
    }
}
