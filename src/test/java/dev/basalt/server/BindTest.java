package dev.basalt.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.basalt.testutil.TestServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every address of "bind" serves the same port. */
class BindTest {
    @Test
    void servesEveryBindAddress() throws Exception {
        try (TestServer s = TestServer.start(Map.of("bind", "127.0.0.1 127.0.0.2"))) {
            for (String host : new String[] {"127.0.0.1", "127.0.0.2"}) {
                try (Socket socket = new Socket(host, s.port())) {
                    socket.setSoTimeout(5000);
                    OutputStream out = socket.getOutputStream();
                    out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    InputStream in = socket.getInputStream();
                    assertEquals("+PONG\r\n", new String(in.readNBytes(7), StandardCharsets.US_ASCII), host);
                }
            }
        }
    }
}
