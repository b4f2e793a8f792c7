package dev.basalt.testutil;

import dev.basalt.server.Server;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One Basalt server for all tests of a class:
 * {@code @RegisterExtension static final SharedServer server = new SharedServer();}.
 */
public final class SharedServer implements BeforeAllCallback, AfterAllCallback {
    private final Map<String, String> overrides;
    private TestServer server;

    public SharedServer() {
        this(Map.of());
    }

    public SharedServer(Map<String, String> overrides) {
        this.overrides = overrides;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        server = TestServer.start(overrides);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server != null) {
            server.close();
        }
    }

    public RawClient raw() {
        return server.raw();
    }

    public int port() {
        return server.port();
    }

    public Server server() {
        return server.server();
    }
}
