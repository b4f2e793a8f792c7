package dev.basalt.scripting;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.basalt.testutil.RawClient;
import dev.basalt.testutil.RealRedis;
import dev.basalt.util.Crc64;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** FUNCTION DUMP payloads: Redis's CRC64, and payloads made by a real redis-server (LZF strings) read back. */
@Timeout(60)
class FunctionDumpTest {
    @Test
    void crc64IsRedisCrc64() {
        // Redis's own test vector (crc64.c): crc64(0, "123456789") == 0xe9c6d914c4b8d9ca
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertEquals(0xe9c6d914c4b8d9caL, Crc64.of(check, 0, check.length));
    }

    @Test
    void dumpRoundTripsAndRefusesDamage() throws Exception {
        byte[] small = "#!lua name=a\nredis.register_function('f', function() return 1 end)".getBytes(StandardCharsets.UTF_8);
        byte[] large = ("#!lua name=b\n" + "-- padding\n".repeat(2000)).getBytes(StandardCharsets.UTF_8);
        byte[] payload = FunctionDump.dump(List.of(new FunctionRegistry.Library("a", small, List.of()),
                new FunctionRegistry.Library("b", large, List.of())));
        List<byte[]> codes = FunctionDump.restore(payload);
        assertArrayEquals(small, codes.get(0));
        assertArrayEquals(large, codes.get(1));
        payload[3] ^= 1;
        assertEquals("ERR DUMP payload version or checksum are wrong",
                assertThrows(LibraryException.class, () -> FunctionDump.restore(payload)).getMessage());
        assertThrows(LibraryException.class, () -> FunctionDump.restore(new byte[] {1, 2}));
    }

    @Test
    void readsWhatRedisDumps() throws Exception {
        try (RealRedis redis = RealRedis.start(); RawClient c = redis.client()) {
            String code = "#!lua name=mylib\n"
                    + "redis.register_function('first', function(keys, args) return redis.call('get', keys[1]) end)\n"
                    + "redis.register_function('second', function(keys, args) return redis.call('get', keys[1]) end)\n";
            assertEquals("$5\r\nmylib\r\n", c.call("FUNCTION", "LOAD", code));
            byte[] payload = dumpOf(redis.port());
            List<byte[]> codes = FunctionDump.restore(payload);
            assertEquals(1, codes.size());
            assertEquals(code, new String(codes.get(0), StandardCharsets.UTF_8));
            // and Redis restores what Basalt dumps
            c.call("FUNCTION", "FLUSH");
            byte[] ours = FunctionDump.dump(List.of(new FunctionRegistry.Library("mylib",
                    code.getBytes(StandardCharsets.UTF_8), List.of())));
            assertEquals("+OK\r\n", restore(redis.port(), ours));
            assertEquals("$-1\r\n", c.call("FCALL", "first", "1", "nokey"));
        }
    }

    private static byte[] dumpOf(int port) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            OutputStream out = s.getOutputStream();
            out.write("*2\r\n$8\r\nFUNCTION\r\n$4\r\nDUMP\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream header = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) != '\n') {
                header.write(b);
            }
            int len = Integer.parseInt(header.toString(StandardCharsets.US_ASCII).trim().substring(1));
            byte[] payload = in.readNBytes(len);
            in.readNBytes(2);
            return payload;
        }
    }

    private static String restore(int port, byte[] payload) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            OutputStream out = s.getOutputStream();
            ByteArrayOutputStream req = new ByteArrayOutputStream();
            req.writeBytes("*3\r\n$8\r\nFUNCTION\r\n$7\r\nRESTORE\r\n".getBytes(StandardCharsets.US_ASCII));
            req.writeBytes(("$" + payload.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            req.writeBytes(payload);
            req.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            out.write(req.toByteArray());
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream reply = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) != '\n') {
                reply.write(b);
            }
            return reply.toString(StandardCharsets.US_ASCII) + "\n";
        }
    }
}
