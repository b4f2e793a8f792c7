package dev.basalt.server;

import dev.basalt.command.ClientPause;
import dev.basalt.command.ClientSession;
import dev.basalt.command.ClientTracking;
import dev.basalt.command.CommandTable;
import dev.basalt.command.DbJobs;
import dev.basalt.command.KeyEvents;
import dev.basalt.command.NamespaceStore;
import dev.basalt.command.KeyspaceNotifications;
import dev.basalt.command.Monitors;
import dev.basalt.command.PendingEvents;
import dev.basalt.command.PerfLog;
import dev.basalt.command.PubSub;
import dev.basalt.command.ScanCursors;
import dev.basalt.command.ServerControl;
import dev.basalt.command.ServerStats;
import dev.basalt.command.Services;
import dev.basalt.command.SlowLog;
import dev.basalt.config.Config;
import dev.basalt.config.OutputBufferLimits;
import dev.basalt.execution.Dispatcher;
import dev.basalt.protocol.RequestMemory;
import dev.basalt.scripting.ScriptRun;
import dev.basalt.scripting.ScriptStore;
import dev.basalt.scripting.Scripting;
import dev.basalt.storage.Storage;
import dev.basalt.storage.StorageException;
import dev.basalt.storage.Txn;
import dev.basalt.util.Log;
import dev.basalt.util.StepAside;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The server: storage, the command table, one accept loop per bind address, and one virtual thread
 * per connection running read, execute, reply.
 */
public final class Server implements ServerControl {

    private final Config config;
    private final Storage storage;
    private final CommandTable commands;
    private final Dispatcher dispatcher;
    private final ClientRegistry clients = new ClientRegistry();
    private final ServerStats stats = new ServerStats();
    private final KeyEvents keyEvents = new KeyEvents();
    private final PubSub pubsub = new PubSub();
    private final KeyspaceNotifications notifications;
    private final ClientTracking tracking;
    private final ClientPause pause = new ClientPause();
    private final ExpirySweeper expirySweeper;
    private final ServerCron cron;
    private final DbJobs jobs;
    private final Scripting scripting;
    private final RequestMemory requestMemory;
    private final Config.LiveNumber maxBulkLength;
    private final Config.LiveNumber idleTimeoutSeconds;
    private final List<ServerSocket> listeners = new ArrayList<>();
    private final List<Thread> acceptThreads = new ArrayList<>();
    private final long startMillis = System.currentTimeMillis();
    private final ReentrantLock stopLock = new ReentrantLock();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final java.util.Set<Thread> connectionThreads = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;
    private volatile Runnable onStopped = () -> { };

    private Server(Config config) throws StorageException {
        this.config = config;
        this.notifications = new KeyspaceNotifications(config, pubsub);
        this.tracking = new ClientTracking(clients, config.live("tracking-table-max-keys"));
        this.maxBulkLength = config.live("proto-max-bulk-len");
        this.idleTimeoutSeconds = config.live("timeout");
        long requestLimit = config.getLong("request-memory-limit");
        this.requestMemory = requestLimit > 0 ? new RequestMemory(requestLimit) : RequestMemory.forHeap();
        this.storage = Storage.open(Path.of(config.getString("dir")).toAbsolutePath(), config);
        try {
            new NamespaceStore(config, storage).loadAndRewrite();
        } catch (StorageException e) {
            storage.close();
            throw e;
        }
        this.jobs = new DbJobs(config, storage, System::currentTimeMillis);
        this.scripting = startScripting(config, storage);
        Services services = new Services(config, storage, stats, keyEvents, new ScanCursors(), clients, this, jobs,
                pubsub, notifications, new SlowLog(config), new Monitors(), pause, tracking,
                new PerfLog(config, storage), scripting);
        this.commands = CommandTable.standard(services);
        applyRenames(config, commands);
        this.dispatcher = new Dispatcher(commands, services);
        this.expirySweeper = new ExpirySweeper(storage, stats, ExpirySweeper.intervalMs(config),
                txn -> {
                    new PendingEvents(notifications).publishCommitted(txn);
                    tracking.invalidate(txn.touchedKeys(), null);
                });
        expirySweeper.pauseWhile(pause::active);
        expirySweeper.start();
        this.cron = new ServerCron(stats);
        cron.add(now -> stats.sampleStorage(now, storage));
        cron.add(new CronJobs(config, jobs)::tick);
        cron.start();
    }

    /** Lua interpreters on platform threads, and the function libraries the data directory holds. */
    private static Scripting startScripting(Config config, Storage storage) {
        Scripting scripting = new Scripting(Math.max(2, Runtime.getRuntime().availableProcessors()));
        Config.LiveNumber busy = config.live("lua-time-limit");
        scripting.setBusyThreshold(busy::get);
        List<ScriptStore.StoredLibrary> stored;
        try (Txn txn = storage.begin("")) {
            stored = ScriptStore.loadLibraries(txn);
        }
        for (String refused : scripting.restore(stored)) {
            Log.warn("function library not loaded: " + refused);
        }
        if (!stored.isEmpty()) {
            Log.info("Loaded " + scripting.functions().libraries().size() + " function libraries");
        }
        return scripting;
    }

    private static void applyRenames(Config config, CommandTable commands) {
        for (String entry : config.entries("rename-command")) {
            try {
                java.util.List<String> words = dev.basalt.config.ConfigLine.tokens(entry);
                commands.rename(words.get(0), words.get(1));
            } catch (dev.basalt.config.InvalidValueException e) {
                throw new IllegalArgumentException("rename-command " + entry + ": " + e.getMessage(), e);
            }
        }
    }

    /** Opens the storage, binds every address of {@code bind} on {@code port} and starts accepting. */
    public static Server start(Config config) throws IOException, StorageException {
        StepAside.startHeartbeat(); // busy connections and long commands step aside by it
        Server s = new Server(config);
        try {
            s.listen();
        } catch (IOException | RuntimeException e) {
            s.stop();
            throw e;
        }
        return s;
    }

    private void listen() throws IOException {
        int port = config.getInt("port");
        for (String host : config.getString("bind").trim().split("\\s+")) {
            ServerSocket ss = new ServerSocket();
            ss.setReuseAddress(true);
            try {
                ss.bind(new InetSocketAddress(InetAddress.getByName(host), port), tcpBacklog());
            } catch (IOException e) {
                ss.close();
                throw new IOException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
            }
            listeners.add(ss);
            // Port 0 picks a free port; later binds reuse it so every address serves the same port.
            port = ss.getLocalPort();
            Log.info("Listening on " + host + ":" + ss.getLocalPort());
        }
        for (ServerSocket ss : listeners) {
            acceptThreads.add(Thread.ofVirtual().name("accept-" + ss.getLocalPort()).start(() -> acceptLoop(ss)));
        }
    }

    private int tcpBacklog() {
        String v = config.get("tcp-backlog");
        return v == null ? 511 : Integer.parseInt(v.trim());
    }

    private void acceptLoop(ServerSocket ss) {
        while (!stopping) {
            Socket socket;
            try {
                socket = ss.accept();
            } catch (IOException e) {
                if (!stopping) {
                    Log.warn("accept failed: " + e.getMessage());
                }
                continue;
            }
            stats.connectionsReceived.increment();
            if (clients.count() >= config.getInt("maxclients")) {
                stats.rejectedConnections.increment();
                Connection.refuse(socket, "ERR max number of clients reached");
                continue;
            }
            Connection connection = new Connection(this, socket, clients.nextId(), !config.requiresAuth());
            clients.add(connection.session());
            Thread t = Thread.ofVirtual().name("client-" + connection.session().id()).unstarted(() -> {
                try {
                    connection.run();
                } finally {
                    connectionThreads.remove(Thread.currentThread());
                }
            });
            connectionThreads.add(t);
            t.start();
        }
    }

    public Config config() {
        return config;
    }

    public Storage storage() {
        return storage;
    }

    public CommandTable commands() {
        return commands;
    }

    public Dispatcher dispatcher() {
        return dispatcher;
    }

    private record ParsedLimits(long configVersion, OutputBufferLimits limits) {
    }

    private volatile ParsedLimits pushLimits = new ParsedLimits(-1, null);

    /** client-output-buffer-limit's pubsub class, read at every push; parsed again only after a CONFIG SET. */
    OutputBufferLimits pushLimits() {
        long v = config.version();
        ParsedLimits p = pushLimits;
        if (p.configVersion() != v) {
            p = new ParsedLimits(v, OutputBufferLimits.of(config.getString("client-output-buffer-limit"), "pubsub"));
            pushLimits = p;
        }
        return p.limits();
    }

    /** proto-max-bulk-len, read by every connection before each request. */
    Config.LiveNumber maxBulkLength() {
        return maxBulkLength;
    }

    /** timeout (seconds idle before a client is closed, 0 never). */
    Config.LiveNumber idleTimeoutSeconds() {
        return idleTimeoutSeconds;
    }

    /** requirepass is set: clients must AUTH. */
    boolean requiresAuth() {
        return config.requiresAuth();
    }

    /** The heap all clients' requests may hold at once. */
    public RequestMemory requestMemory() {
        return requestMemory;
    }

    public ClientRegistry clients() {
        return clients;
    }

    public ServerStats stats() {
        return stats;
    }

    /** The background database jobs (BGSAVE, COMPACT, DBSIZE SCAN). */
    public DbJobs jobs() {
        return jobs;
    }




    @Override
    public long startMillis() {
        return startMillis;
    }

    /** The first listening port (useful when started on port 0). */
    @Override
    public int port() {
        return listeners.isEmpty() ? -1 : listeners.get(0).getLocalPort();
    }

    public boolean stopping() {
        return stopping;
    }

    /** Runs once the server has stopped (e.g. to exit the process). */
    public void onStopped(Runnable r) {
        this.onStopped = r;
    }

    /** Stops in the background (SHUTDOWN runs on a connection thread, which stop() waits for). */
    @Override
    public void shutdownAsync() {
        Thread.ofPlatform().name("basalt-shutdown").start(this::stop);
    }

    /**
     * Graceful stop: no new connections, running commands finish and their replies go out, then the
     * storage closes cleanly.
     */
    public void stop() {
        stopLock.lock();
        try {
            if (stopping) {
                return;
            }
            stopping = true;
            Log.info("Shutting down");
            for (ServerSocket ss : listeners) {
                try {
                    ss.close();
                } catch (IOException e) {
                    // closing anyway
                }
            }
            for (ClientSession c : clients.list()) {
                c.kill();
            }
            // A script in a loop would hold its connection's thread for ever: SHUTDOWN stops it (its batch is
            // discarded, so nothing of it is applied), as SHUTDOWN NOSAVE does in Redis.
            for (ScriptRun run : scripting.running()) {
                run.kill();
            }
            dispatcher.stopLongReads();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            for (Thread t : List.copyOf(connectionThreads)) {
                long left = deadline - System.nanoTime();
                if (left > 0 && t != Thread.currentThread()) {
                    try {
                        t.join(java.time.Duration.ofNanos(left));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
            // Clients still there after the grace period do not read their replies: their sockets close, so
            // that a long read writing to one of them ends before the storage closes under it.
            for (ClientSession c : clients.connected()) {
                c.abort();
            }
            if (!dispatcher.awaitLongReads(TimeUnit.SECONDS.toMillis(5))) {
                Log.warn("a long read did not end; closing the storage anyway");
            }
            cron.stop();
            jobs.close();
            expirySweeper.stop();
            scripting.close();
            storage.close();
            Log.info("Storage closed; bye");
        } finally {
            stopLock.unlock();
            stopped.countDown();
        }
        onStopped.run();
    }

    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }
}
