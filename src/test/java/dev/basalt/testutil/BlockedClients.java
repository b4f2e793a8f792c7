package dev.basalt.testutil;

import dev.basalt.command.ClientSession;
import dev.basalt.server.Server;
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

    /**
     * The server's session of a connection, found by its CLIENT ID (asked on it, so call this before the
     * connection blocks): for {@link #awaitParks}, which the protocol cannot show.
     */
    public static ClientSession session(Server server, RawClient c) {
        String reply = c.call("CLIENT", "ID");
        ClientSession s = server.clients().get(Long.parseLong(reply.substring(1, reply.length() - 2)));
        if (s == null) {
            throw new AssertionError("no session for client " + reply);
        }
        return s;
    }

    /**
     * Waits until the client has parked n times: a client woken by a write re-examines its keys and,
     * finding nothing to serve, parks again, so this shows that a wake-up was handled without a reply.
     */
    public static void awaitParks(ClientSession client, long n) {
        Await.equal("times client " + client.id() + " parked", n, client::parks);
    }
}
