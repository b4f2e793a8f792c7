package dev.basalt.testutil;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Waiting for clients parked in blocking commands (BLPOP, BZPOPMIN...), as the server reports them to
 * any client: INFO clients' {@code blocked_clients}, which counts clients parked right now.
 */
public final class BlockedClients {
    private static final Pattern BLOCKED = Pattern.compile("\r\nblocked_clients:(\\d+)\r\n");

    private BlockedClients() {
    }

    /** INFO clients' blocked_clients, asked on the observer connection. */
    public static int count(RawClient observer) {
        String info = observer.call("INFO", "clients");
        Matcher m = BLOCKED.matcher(info);
        if (!m.find()) {
            throw new AssertionError("no blocked_clients in INFO clients: " + info);
        }
        return Integer.parseInt(m.group(1));
    }

    /** Waits until exactly n clients are parked. */
    public static void await(RawClient observer, int n) {
        Await.equal("blocked_clients", n, () -> count(observer));
    }

    /** Sends a blocking command on client and waits until it is parked (one more blocked client). */
    public static void sendAndAwait(RawClient client, RawClient observer, String... command) {
        int before = count(observer);
        client.send(RawClient.encode(command));
        Await.equal("blocked_clients after " + String.join(" ", command), before + 1, () -> count(observer));
    }
}
