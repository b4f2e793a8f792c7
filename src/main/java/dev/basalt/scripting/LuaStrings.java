package dev.basalt.scripting;

import java.nio.ByteBuffer;
import party.iroiro.luajava.Lua;

/**
 * Byte-exact strings between Java and Lua. luajava's own string calls go through JNI's modified UTF-8,
 * which cannot carry arbitrary bytes (Redis values are binary), so strings are read from a buffer view
 * and binary ones are pushed by loading a one-constant chunk.
 */
final class LuaStrings {
    private LuaStrings() {
    }

    /** The bytes of the string (or number, as Lua converts it) at {@code index}. */
    static byte[] read(Lua lua, int index) {
        ByteBuffer view = lua.toDirectBuffer(index);
        if (view == null) {
            return null;
        }
        byte[] bytes = new byte[view.remaining()];
        view.get(bytes);
        return bytes;
    }

    /** Pushes {@code bytes} as a Lua string. */
    static void push(Lua lua, byte[] bytes) {
        if (plainAscii(bytes)) {
            lua.push(new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1));
            return;
        }
        lua.load(returnChunk(bytes), "=string");
        lua.pCall(0, 1);
    }

    /** Bytes 1..127 travel unchanged through modified UTF-8. */
    private static boolean plainAscii(byte[] bytes) {
        for (byte b : bytes) {
            if (b <= 0) {
                return false;
            }
        }
        return true;
    }

    /** {@code return "..."} with every byte that is not plain printable ASCII as a decimal escape. */
    private static ByteBuffer returnChunk(byte[] bytes) {
        ByteBuffer chunk = ByteBuffer.allocateDirect(10 + bytes.length * 4);
        chunk.put((byte) 'r').put((byte) 'e').put((byte) 't').put((byte) 'u').put((byte) 'r').put((byte) 'n')
                .put((byte) ' ').put((byte) '"');
        for (byte b : bytes) {
            int c = b & 0xff;
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
                chunk.put(b);
            } else {
                chunk.put((byte) '\\').put((byte) ('0' + c / 100)).put((byte) ('0' + c / 10 % 10))
                        .put((byte) ('0' + c % 10));
            }
        }
        chunk.put((byte) '"');
        chunk.flip();
        return chunk;
    }
}
