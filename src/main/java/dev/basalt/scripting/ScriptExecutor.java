package dev.basalt.scripting;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Platform threads that own one Lua interpreter each. Lua runs in native code through JNI, which
 * would pin a virtual thread's carrier for as long as a script runs (and Basalt has two carriers);
 * here the caller's virtual thread parks on a future instead, and redis.call comes back on the
 * script's thread.
 */
public final class ScriptExecutor implements AutoCloseable {
    /** Work done with a thread's interpreter. */
    @FunctionalInterface
    public interface Task<T> {
        T run(LuaEngine engine) throws Exception;
    }

    private final ExecutorService threads;
    private final ThreadLocal<LuaEngine> engines = new ThreadLocal<>();
    private final List<LuaEngine> all = new CopyOnWriteArrayList<>();
    private final ThreadLocal<Long> flushedAt = ThreadLocal.withInitial(() -> 0L);
    private volatile long flushGeneration;

    public ScriptExecutor(int threadCount) {
        AtomicInteger n = new AtomicInteger();
        threads = Executors.newFixedThreadPool(threadCount, r -> {
            Thread t = new Thread(r, "basalt-lua-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs the task on a script thread and waits for it; the task's exception is rethrown as is. */
    public <T> T call(Task<T> task) throws Exception {
        Future<T> f = threads.submit(() -> task.run(engine()));
        try {
            return f.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception ex) {
                throw ex;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    /** SCRIPT FLUSH: every interpreter forgets its compiled scripts before its next task. */
    public void flushScripts() {
        flushGeneration++;
    }

    private LuaEngine engine() {
        LuaEngine e = engines.get();
        if (e == null) {
            e = new LuaEngine();
            engines.set(e);
            all.add(e);
            flushedAt.set(flushGeneration);
        }
        if (flushedAt.get() != flushGeneration) {
            e.flushScripts();
            flushedAt.set(flushGeneration);
        }
        return e;
    }

    /** Bytes the interpreters' heaps hold (as last sampled). */
    public long memoryBytes() {
        long n = 0;
        for (LuaEngine e : all) {
            n += e.memoryBytes();
        }
        return n;
    }

    /** Stops the threads; once they are done, their interpreters are closed. A run still going is abandoned. */
    @Override
    public void close() {
        threads.shutdownNow();
        try {
            if (threads.awaitTermination(5, TimeUnit.SECONDS)) {
                for (LuaEngine e : all) {
                    e.close();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
