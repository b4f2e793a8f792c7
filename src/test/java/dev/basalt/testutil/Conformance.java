package dev.basalt.testutil;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real redis-server and a Basalt server side by side for conformance tests, started once per test
 * class: {@code @RegisterExtension static final Conformance servers = new Conformance();}. Scripts are
 * sent to both, and every reply is compared byte for byte (HELLO's server identification excepted).
 */
public final class Conformance implements BeforeAllCallback, AfterAllCallback {
    private final Map<String, String> basaltOverrides;
    private final String[] redisArgs;
    private RealRedis redis;
    private TestServer basalt;

    public Conformance() {
        this(Map.of());
    }

    /** Basalt directives and the equivalent redis-server arguments, e.g. a smaller proto-max-bulk-len on both. */
    public Conformance(Map<String, String> basaltOverrides, String... redisArgs) {
        this.basaltOverrides = basaltOverrides;
        this.redisArgs = redisArgs;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        redis = RealRedis.start(redisArgs);
        basalt = TestServer.start(basaltOverrides);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (basalt != null) {
            basalt.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    public RawClient redis() {
        return redis.client();
    }

    public RawClient basalt() {
        return basalt.raw();
    }

    /** Sends every command to both servers on one connection each and compares the replies exactly. */
    public void compare(List<String[]> script) {
        compare(script, (cmd, reply) -> reply);
    }

    /**
     * As {@link #compare(List)}, after normalize(command, reply) on both replies: for replies whose
     * order Redis leaves unspecified (its hash order), e.g. sorting their elements.
     */
    public void compare(List<String[]> script, BiFunction<String[], String, String> normalize) {
        try (RawClient r = redis(); RawClient b = basalt()) {
            for (String[] cmd : script) {
                String expected = r.callBytes(cmd);
                String actual = b.callBytes(cmd);
                if (cmd[0].equalsIgnoreCase("HELLO")) {
                    continue; // server identification differs by design
                }
                assertEquals(normalize.apply(cmd, expected), normalize.apply(cmd, actual), String.join(" ", cmd));
            }
        }
    }

    /**
     * Compares a script written one command per line: spaces separate arguments, double quotes group
     * them (and may be empty), {@code @name} stands for {@code prefix:name}, blank and # lines are skipped.
     */
    public void compareScript(String prefix, String script) {
        compareScript(prefix, script, (cmd, reply) -> reply);
    }

    /** As {@link #compareScript(String, String)}, with replies normalized as {@link #compare(List, BiFunction)} does. */
    public void compareScript(String prefix, String script, BiFunction<String[], String, String> normalize) {
        List<String[]> commands = new ArrayList<>();
        for (String line : script.split("\n")) {
            line = line.strip();
            if (!line.isEmpty() && !line.startsWith("#")) {
                commands.add(words(line, prefix));
            }
        }
        compare(commands, normalize);
    }

    static String[] words(String line, String prefix) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (ch == '"') {
                quoted = !quoted;
                any = true;
            } else if (ch == ' ' && !quoted) {
                if (any) {
                    out.add(cur.toString());
                }
                cur.setLength(0);
                any = false;
            } else {
                cur.append(ch);
                any = true;
            }
        }
        if (any) {
            out.add(cur.toString());
        }
        for (int i = 0; i < out.size(); i++) {
            if (out.get(i).startsWith("@")) {
                out.set(i, prefix + ":" + out.get(i).substring(1));
            }
        }
        return out.toArray(new String[0]);
    }
}
