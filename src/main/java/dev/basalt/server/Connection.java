package dev.basalt.server;

import dev.basalt.command.ClientChannel;
import dev.basalt.command.ClientSession;
import dev.basalt.command.ServerStats;
import dev.basalt.execution.Dispatcher;
import dev.basalt.protocol.ProtocolException;
import dev.basalt.protocol.ReplyBuffer;
import dev.basalt.protocol.RespReader;
import dev.basalt.protocol.RespWriter;
import dev.basalt.util.Log;
import dev.basalt.util.StepAside;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * One client's read, execute, reply loop on its own virtual thread. Each request (with the pipelined
 * requests already buffered behind it, see the Dispatcher's bursts) is run, then its replies are sent
 * in one write; other threads reach the client through its {@link Outbound}.
 */
final class Connection implements ClientChannel {
    /** A client that keeps pipelining gets its replies at least every this many requests (or bursts)... */
    private static final int FLUSH_EVERY = 64;
    /** ...or once this many reply bytes wait. */
    private static final int FLUSH_BYTES = 64 * 1024;
    /**
     * A connection steps aside at most this often. Measured on 2 cores (one carrier), 10,000
     * subscribers fed by one pipelining publisher: every 50 ms 176k deliveries/s, 100 ms 332k, 200 ms 427k,
     * never 605k; meanwhile others wait up to about this long.
     */
    private static final long STEP_ASIDE_EVERY_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(100);

    private final Server server;
    private final Socket socket;
    private final ClientSession client;
    private volatile Outbound outbound;
    private volatile RespReader reader;
    /** The connection's own thread, and its reply buffer: a push from that thread goes straight in. */
    private volatile Thread ownThread;
    private ReplyBuffer replyBuffer;

    Connection(Server server, Socket socket, long id, boolean authenticated) {
        this.server = server;
        this.socket = socket;
        this.client = new ClientSession(id, hostPort(socket.getInetAddress(), socket.getPort()),
                hostPort(socket.getLocalAddress(), socket.getLocalPort()), authenticated, this);
    }

    ClientSession session() {
        return client;
    }

    private static String hostPort(java.net.InetAddress a, int port) {
        return (a == null ? "?" : a.getHostAddress()) + ":" + port;
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

    @Override
    public void close() {
        try {
            socket.shutdownInput();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void abort() {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public CompletableFuture<Integer> hangupWatch() {
        RespReader r = reader;
        if (r == null) {
            return null;
        }
        CompletableFuture<Integer> f = r.readAhead();
        // Once the client has sent more requests, they wait in the buffer; a hang-up shows on the next read.
        return f.isDone() && f.getNow(0) > 0 ? null : f;
    }

    @Override
    public boolean push(byte[] frame) {
        if (Thread.currentThread() == ownThread && !client.runningExec()) {
            // PUBLISH to oneself: the message goes where Redis puts it, among this client's replies (inside
            // EXEC's array it could not: there it waits in the queue until the replies are out).
            replyBuffer.write(frame);
            return true;
        }
        Outbound o = outbound;
        return o != null && o.push(frame);
    }

    @Override
    public long pendingPushBytes() {
        Outbound o = outbound;
        return o == null ? 0 : o.pendingPushBytes();
    }

    void run() {
        ServerStats stats = server.stats();
        ReplyBuffer replies = new ReplyBuffer();
        replyBuffer = replies;
        ownThread = Thread.currentThread();
        RespWriter out = new RespWriter(replies, client.protocol());
        out.setErrorListener(stats::errorReplied);
        try {
            socket.setTcpNoDelay(true);
            outbound = new Outbound(new CountingOutput(socket.getOutputStream(), stats), server::pushLimits, reason -> {
                Log.warn("Client id=" + client.id() + " addr=" + client.addr() + " name=" + client.name()
                        + " closed for overcoming of output buffer limits: " + reason);
                client.kill();
            });
            replies.setSpillSink(outbound::writeReplyBytes);
            RespReader in = new RespReader(new CountingInput(socket.getInputStream(), stats),
                    server.maxBulkLength().get(), server.requestMemory());
            in.setBeforeWait(() -> {
                if (replies.size() > 0) {
                    outbound.sendReplies(replies);
                } else {
                    outbound.noRepliesPending();
                }
            });
            reader = in;
            Dispatcher.Connection pipeline = new Dispatcher.Connection() {
                @Override
                public byte[][] nextBuffered() throws IOException, ProtocolException {
                    return in.nextBuffered(authenticated());
                }

                @Override
                public void flushReplies() throws IOException {
                    outbound.sendReplies(replies);
                }
            };
            int timeoutSeconds = -1;
            int unsent = 0;
            long steppedAside = System.nanoTime();
            while (!client.killed() && !server.stopping()) {
                if (!in.hasBufferedInput()) {
                    int t = (int) server.idleTimeoutSeconds().get();
                    if (t != timeoutSeconds) {
                        socket.setSoTimeout(t * 1000);
                        timeoutSeconds = t;
                    }
                }
                in.setMaxBulkLen(server.maxBulkLength().get());
                byte[][] argv;
                try {
                    argv = in.read(authenticated());
                    if (argv == null) {
                        return;
                    }
                    client.markActive();
                    outbound.beginReplies();
                    server.dispatcher().run(client, argv, pipeline, out);
                } catch (ProtocolException e) {
                    out.error(e.replyText());
                    outbound.sendReplies(replies);
                    Log.debug("client " + client.addr() + ": protocol error: " + e.getMessage());
                    return;
                } catch (SocketTimeoutException e) {
                    Log.debug("client " + client.addr() + " idle for " + timeoutSeconds + "s, closing");
                    return;
                } finally {
                    in.releaseRequestMemory();
                }
                out.setProtocol(client.protocol());
                // When others have waited too long the connection steps aside, at most every
                // STEP_ASIDE_EVERY_NANOS: each time it then waits for all it woke (a publisher, for every
                // subscriber's writer), and stepping aside after each request would leave nothing to batch.
                boolean stepAside = StepAside.othersWaiting()
                        && System.nanoTime() - steppedAside > STEP_ASIDE_EVERY_NANOS;
                // Replies go out before a read that would wait for the client (RespReader's BeforeWait),
                // regularly while it keeps sending, and before it steps aside.
                if (++unsent >= FLUSH_EVERY || replies.size() >= FLUSH_BYTES || client.closeAfterReply()
                        || stepAside) {
                    outbound.sendReplies(replies);
                    unsent = 0;
                }
                if (client.closeAfterReply()) {
                    return;
                }
                if (stepAside) {
                    StepAside.now();
                    steppedAside = System.nanoTime();
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            Log.debug("client " + client.addr() + " gone: " + e.getMessage());
        } catch (RuntimeException | Error e) {
            // A bug or an exhausted resource: say so once, in the log, and end this connection only.
            Log.error("client " + client.addr() + " dropped after an unexpected failure", e);
        } finally {
            if (outbound != null) {
                outbound.close();
            }
            server.dispatcher().clientGone(client);
            server.clients().remove(client);
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    private boolean authenticated() {
        return client.authenticated() || !server.requiresAuth();
    }

    /** Counts bytes read for INFO's total_net_input_bytes and reads for total_reads_processed. */
    private static final class CountingInput extends java.io.FilterInputStream {
        private final ServerStats stats;

        CountingInput(InputStream in, ServerStats stats) {
            super(in);
            this.stats = stats;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
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
