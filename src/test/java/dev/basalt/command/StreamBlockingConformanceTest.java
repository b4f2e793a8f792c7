package dev.basalt.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.basalt.testutil.BlockedClients;
import dev.basalt.testutil.Conformance;
import dev.basalt.testutil.RawClient;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a blocked XREAD or XREADGROUP answers when the streams it waits on change, compared byte for
 * byte with redis-server: served by XADD (also inside MULTI, with COUNT 1000 when none was given),
 * passed over by writes that bring nothing new, and for XREADGROUP the errors Redis 7.0 gives when the
 * stream is deleted or overwritten or the group destroyed. Each scenario runs on both servers: one
 * client blocks, another writes, then the blocked client's reply is compared.
 */
class StreamBlockingConformanceTest {
    @RegisterExtension
    static final Conformance servers = new Conformance();

    /**
     * A step: "B ..." blocks the reader with the command, "W ..." runs a command on the writer, "R" reads
     * the reader's reply, "P n" switches the reader to protocol n (HELLO, whose reply is not compared).
     */
    private static List<String> run(Supplier<RawClient> server, String prefix, String... steps) {
        List<String> out = new ArrayList<>();
        try (RawClient reader = server.get(); RawClient writer = server.get()) {
            for (String step : steps) {
                String[] words = step.equals("R") ? new String[] {"R"} : step.substring(2).replace("@", prefix + ":")
                        .split(" ");
                switch (step.charAt(0)) {
                    case 'B' -> BlockedClients.sendAndAwait(reader, writer, words);
                    case 'W' -> out.add(writer.call(words));
                    case 'P' -> reader.call("HELLO", words[0]);
                    default -> out.add(reader.readReply());
                }
            }
        }
        return out;
    }

    private static void compare(String prefix, String... steps) {
        assertEquals(run(servers::redis, prefix, steps), run(servers::basalt, prefix, steps), String.join(" | ", steps));
    }

    @Test
    void xaddServesTheBlockedReaders() {
        compare("served", "W XADD @s 1-0 a b", "B XREAD BLOCK 0 STREAMS @s $", "W XADD @s 2-0 c d", "R");
        compare("group", "W XGROUP CREATE @s g $ MKSTREAM", "B XREADGROUP GROUP g c BLOCK 0 STREAMS @s >",
                "W XADD @s 2-0 c d", "R", "W XPENDING @s g", "W XINFO GROUPS @s");
        compare("noack", "W XGROUP CREATE @s g $ MKSTREAM", "B XREADGROUP GROUP g c NOACK BLOCK 0 STREAMS @s >",
                "W XADD @s 2-0 c d", "R", "W XPENDING @s g", "W XINFO GROUPS @s");
        compare("second", "W XADD @s 1-0 a b", "B XREAD BLOCK 0 STREAMS @s @t $ $", "W XADD @t 5-0 c d", "R");
        compare("resp3", "P 3", "B XREAD BLOCK 0 STREAMS @s $", "W XADD @s 5-0 c d", "R");
    }

    @Test
    void aWokenReaderWithoutCountGetsAtMostAThousand() {
        List<String> steps = new ArrayList<>(List.of("W XADD @s 1-0 a b", "B XREAD BLOCK 0 STREAMS @s 1-0", "W MULTI"));
        for (int i = 2; i <= 1200; i++) {
            steps.add("W XADD @s " + i + "-0 f v");
        }
        steps.add("W EXEC");
        steps.add("R");
        compare("thousand", steps.toArray(new String[0]));
    }

    @Test
    void writesThatBringNothingNewLeaveTheReaderBlocked() {
        compare("multi", "W XADD @s 1-0 a b", "B XREAD BLOCK 0 STREAMS @s $", "W MULTI", "W XADD @s 2-0 c d",
                "W XDEL @s 2-0", "W EXEC", "R");
        compare("types", "B XREAD BLOCK 0 STREAMS @s 0", "W LPUSH @s x", "W DEL @s", "W XADD @s 3-0 c d", "R");
        compare("setid", "W XGROUP CREATE @s g $ MKSTREAM", "B XREADGROUP GROUP g c BLOCK 0 STREAMS @s >",
                "W XGROUP CREATECONSUMER @s g other", "W XSETID @s 5-0", "W XADD @s 6-0 a b", "R");
    }

    @Test
    void aGroupReaderLearnsItsStreamOrGroupIsGone() {
        compare("deleted", "W XADD @s 1-0 a b", "W XGROUP CREATE @s g $",
                "B XREADGROUP GROUP g c BLOCK 0 STREAMS @s >", "W DEL @s", "R");
        compare("destroyed", "W XADD @s 1-0 a b", "W XGROUP CREATE @s g $",
                "B XREADGROUP GROUP g c BLOCK 0 STREAMS @s >", "W XGROUP DESTROY @s g", "R");
        compare("overwritten", "W XADD @s 1-0 a b", "W XGROUP CREATE @s g $",
                "B XREADGROUP GROUP g c BLOCK 0 STREAMS @s >", "W SET @s x", "R");
        compare("recreated", "W XADD @s 1-0 a b", "W XGROUP CREATE @s g $",
                "B XREADGROUP GROUP g c BLOCK 0 STREAMS @s >", "W MULTI", "W DEL @s", "W XADD @s 2-0 a b", "W EXEC",
                "R");
    }
}
