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

    /**
     * The bytes of the string at {@code index}. Plain ASCII (the usual key or argument) comes through
     * lua_tostring, eight times cheaper than a buffer view; it is recognised by every char being 1..127
     * with as many chars as bytes (a NUL ends lua_tostring's copy early, and any byte above 127 decodes
     * to a char above 127 or to fewer chars). Everything else is read from the buffer view.
     */
    static byte[] read(Lua lua, int index) {
        int length = lua.rawLength(index);
        String text = lua.toString(index);
        if (text != null && text.length() == length) {
            byte[] bytes = new byte[length];
            boolean ascii = true;
            for (int i = 0; i < length; i++) {
                char c = text.charAt(i);
                if (c == 0 || c > 0x7f) {
                    ascii = false;
                    break;
                }
                bytes[i] = (byte) c;
            }
            if (ascii) {
                return bytes;
            }
        }
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
