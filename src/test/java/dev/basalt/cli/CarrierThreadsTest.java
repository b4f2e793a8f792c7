package dev.basalt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class CarrierThreadsTest {
    @Test
    void workersCapTheCarriersAndOneCoreIsLeftOver() {
        assertEquals(1, CarrierThreads.choose(8, 2));
        assertEquals(1, CarrierThreads.choose(8, 1), "never fewer than one");
        assertEquals(7, CarrierThreads.choose(8, 8));
        assertEquals(8, CarrierThreads.choose(8, 32));
        assertEquals(3, CarrierThreads.choose(3, 32));
    }

    /**
     * In a fresh JVM, as Main runs it: after {@code apply}, at most that many virtual threads run at once
     * (each spins without yielding, so a second one can only run on a second carrier).
     */
    @Test
    void theSchedulerRunsOnTheCarriersChosen() throws Exception {
        assertEquals("1", probe("1", List.of()).strip());
        // A -D on the JVM's command line wins, and the probe can see two carriers when there are two.
        assertEquals("2", probe("1", List.of("-D" + CarrierThreads.PROPERTY + "=2")).strip());
    }

    private static String probe(String workers, List<String> jvmFlags) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(jvmFlags);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Probe.class.getName(), workers));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "probe finished");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    /** Applies the carrier count, then prints the most virtual threads seen running at once. */
    static final class Probe {
        public static void main(String[] args) throws InterruptedException {
            CarrierThreads.apply(Integer.parseInt(args[0]));
            AtomicInteger running = new AtomicInteger();
            AtomicInteger most = new AtomicInteger();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                threads.add(Thread.ofVirtual().start(() -> {
                    most.accumulateAndGet(running.incrementAndGet(), Math::max);
                    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
                    while (System.nanoTime() < until) {
                        Thread.onSpinWait();
                    }
                    running.decrementAndGet();
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            System.out.println(most.get());
        }
    }
}
