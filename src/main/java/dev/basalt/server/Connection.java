package dev.basalt.server;

import dev.basalt.command.ClientSession;
import dev.basalt.command.ServerStats;
import dev.basalt.protocol.ProtocolException;
import dev.basalt.protocol.RespReader;
import dev.basalt.protocol.RespWriter;
import dev.basalt.util.Log;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * One client's read, execute, reply loop on its own virtual thread. Replies to a pipelined burst
 * are flushed together once no further request is buffered.
 */
final class Connection {
    private final Server server;
    private final Socket socket;
    private final ClientSession client;

    Connection(Server server, Socket socket, long id, boolean authenticated) {
        this.server = server;
        this.socket = socket;
        this.client = new ClientSession(id, hostPort(socket.getInetAddress(), socket.getPort()),
                hostPort(socket.getLocalAddress(), socket.getLocalPort()), authenticated, this::shutdownInput);
    }

    ClientSession session() {
        return client;
    }

    private static String hostPort(java.net.InetAddress a, int port) {
        return (a == null ? "?" : a.getHostAddress()) + ":" + port;
    }

    /** Unblocks a read in progress, so that a killed client's thread notices and ends. */
    private void shutdownInput() {
        try {
            socket.shutdownInput();
        } catch (IOException e) {
            // already closed
        }
    }

    /** Answers a connection that cannot be served (maxclients) and closes it. */
    static void refuse(Socket socket, String error) {
        try (socket) {
            OutputStream os = socket.getOutputStream();
            os.write(("-" + error + "\r\n").getBytes(StandardCharsets.UTF_8));
            os.flush();
        } catch (IOException e) {
            // the client left already
        }
    }

    void run() {
        try (socket) {
            socket.setTcpNoDelay(true);
            OutputStream os = new BufferedOutputStream(new CountingOutput(socket.getOutputStream(), server.stats()), 16 * 1024);
            InputStream in = new CountingInput(socket.getInputStream(), server.stats(), os);
            RespReader reader = new RespReader(in, server.config().getLong("proto-max-bulk-len"));
            RespWriter out = new RespWriter(os, client.protocol());
            client.setReadAhead(reader::readAhead);
            int timeoutSeconds = -1;
            while (!client.killed() && !server.stopping()) {
                if (!reader.hasBufferedInput()) {
                    int t = server.config().getInt("timeout");
                    if (t != timeoutSeconds) {
                        socket.setSoTimeout(t * 1000);
                        timeoutSeconds = t;
                    }
                }
                reader.setMaxBulkLen(server.config().getLong("proto-max-bulk-len"));
                byte[][] argv;
                try {
                    argv = reader.read(client.authenticated() || !server.config().requiresAuth());
                } catch (ProtocolException e) {
                    out.error(e.replyText());
                    out.flush();
                    Log.debug("client " + client.addr() + ": protocol error: " + e.getMessage());
                    return;
                } catch (SocketTimeoutException e) {
                    Log.debug("client " + client.addr() + " idle for " + timeoutSeconds + "s, closing");
                    return;
                }
                if (argv == null) {
                    out.flush();
                    return;
                }
                client.markActive();
                server.dispatcher().handle(client, argv, out);
                out.setProtocol(client.protocol());
                if (client.closeAfterReply() || !reader.hasBufferedInput()) {
                    out.flush();
                }
                if (client.closeAfterReply()) {
                    return;
                }
            }
            out.flush();
        } catch (IOException | java.io.UncheckedIOException e) {
            Log.debug("client " + client.addr() + " gone: " + e.getMessage());
        } catch (RuntimeException e) {
            Log.error("client " + client.addr() + " failed", e);
        } finally {
            server.dispatcher().clientGone(client);
            server.clients().remove(client);
        }
    }

    /**
     * Counts bytes read for INFO's total_net_input_bytes. Before a read that would wait for the
     * client, flushes the replies held so far: a client that sent half a request may be waiting for
     * the answers to the whole ones before it sends the rest.
     */
    private static final class CountingInput extends java.io.FilterInputStream {
        private final ServerStats stats;
        private final OutputStream replies;

        CountingInput(InputStream in, ServerStats stats, OutputStream replies) {
            super(in);
            this.stats = stats;
            this.replies = replies;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (in.available() == 0) {
                replies.flush();
            }
            int n = super.read(b, off, len);
            if (n > 0) {
                stats.netInputBytes.add(n);
                stats.readsProcessed.increment();
            }
            return n;
        }
    }

    /** Counts bytes written for INFO's total_net_output_bytes. */
    private static final class CountingOutput extends java.io.FilterOutputStream {
        private final ServerStats stats;

        CountingOutput(OutputStream out, ServerStats stats) {
            super(out);
            this.stats = stats;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            stats.netOutputBytes.add(len);
            stats.writesProcessed.increment();
        }
    }
}
