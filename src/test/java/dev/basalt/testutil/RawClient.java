package dev.basalt.testutil;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A raw TCP client for exact-byte assertions: sends bytes or commands, reads replies back as their
 * exact RESP text (one whole reply, nested aggregates included).
 */
public final class RawClient implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    public RawClient(int port) {
        this(port, 10_000);
    }

    /** A client whose reads give up after readTimeoutMs (0: never). */
    public RawClient(int port, int readTimeoutMs) {
        try {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(readTimeoutMs);
            out = socket.getOutputStream();
            in = new BufferedInputStream(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public RawClient send(String raw) {
        return send(raw.getBytes(StandardCharsets.UTF_8));
    }

    public RawClient send(byte[] raw) {
        try {
            out.write(raw);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Encodes a command as a RESP array of bulk strings. */
    public static String encode(String... args) {
        StringBuilder sb = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            sb.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
        }
        return sb.toString();
    }

    /** Sends one command and returns its reply's exact bytes as text. */
    public String call(String... args) {
        send(encode(args));
        return readReply();
    }

    /** Reads one complete reply and returns its exact RESP text. */
    public String readReply() {
        return readReply(StandardCharsets.UTF_8);
    }

    /**
     * Sends one command and returns its reply with every byte as one character (ISO-8859-1), so that
     * binary replies compare exactly (UTF-8 decoding maps every invalid byte to the same character).
     */
    public String callBytes(String... args) {
        send(encode(args));
        return readReply(StandardCharsets.ISO_8859_1);
    }

    private String readReply(java.nio.charset.Charset charset) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try {
            readOne(buf);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buf.toString(charset);
    }

    private void readOne(ByteArrayOutputStream buf) throws IOException {
        String line = readLine(buf);
        char type = line.charAt(0);
        switch (type) {
            case '+', '-', ':', '_', ',', '#', '(' -> {
            }
            case '$', '=', '!' -> {
                int len = Integer.parseInt(line.substring(1));
                if (len >= 0) {
                    byte[] b = in.readNBytes(len + 2);
                    if (b.length < len + 2) {
                        throw new IOException("connection closed in a bulk reply");
                    }
                    buf.write(b);
                }
            }
            case '*', '~', '>' -> {
                int n = Integer.parseInt(line.substring(1));
                for (int i = 0; i < n; i++) {
                    readOne(buf);
                }
            }
            case '%', '|' -> {
                int n = Integer.parseInt(line.substring(1));
                for (int i = 0; i < 2 * n; i++) {
                    readOne(buf);
                }
            }
            default -> throw new IOException("unexpected reply type in line: " + line);
        }
    }

    private String readLine(ByteArrayOutputStream buf) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int prev = -1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed");
            }
            buf.write(b);
            if (prev == '\r' && b == '\n') {
                byte[] l = line.toByteArray();
                return new String(l, 0, l.length - 1, StandardCharsets.UTF_8);
            }
            line.write(b);
            prev = b;
        }
    }

    /** Everything the server sends until it closes the connection (or 2 s of silence). */
    public String readUntilClose() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try {
            socket.setSoTimeout(2000);
            byte[] chunk = new byte[8192];
            int n;
            while ((n = in.read(chunk)) > 0) {
                buf.write(chunk, 0, n);
            }
        } catch (SocketTimeoutException e) {
            // silence: return what came
        } catch (IOException e) {
            // reset by peer counts as closed
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    /** True when the server has closed the connection (reads EOF within the timeout). */
    public boolean isClosedByServer() {
        try {
            socket.setSoTimeout(3000);
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // ignore
        }
    }
}
