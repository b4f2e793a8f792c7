package dev.basalt.cli;

/**
 * How many carrier threads run the clients' virtual threads. Kvrocks's {@code workers} is its number of
 * I/O threads; here it caps the JVM's virtual-thread scheduler, which would otherwise take every core.
 * One core is left to what runs beside the clients: RocksDB's flushes and compactions, the write
 * committer, the garbage collector, and often the clients themselves. On the 2-core machine Basalt is
 * measured on, one carrier instead of two cut the server's CPU per GET from about 35 to 23 microseconds,
 * as carriers stopped waking each other for every request.
 */
final class CarrierThreads {
    /** The JDK's own setting; given on the command line ({@code -D...}) it wins over {@code workers}. */
    static final String PROPERTY = "jdk.virtualThreadScheduler.parallelism";

    private CarrierThreads() {
    }

    static int choose(int workers, int cores) {
        return Math.max(1, Math.min(workers, cores - 1));
    }

    /**
     * Sets the scheduler's parallelism from {@code workers} unless the JVM was given one, and returns a
     * line for the log. Takes effect only before the process starts its first virtual thread.
     */
    static String apply(int workers) {
        String given = System.getProperty(PROPERTY);
        if (given != null) {
            return "Clients run on " + given + " carrier threads (-D" + PROPERTY + ")";
        }
        int cores = Runtime.getRuntime().availableProcessors();
        int n = choose(workers, cores);
        System.setProperty(PROPERTY, Integer.toString(n));
        return "Clients run on " + n + (n == 1 ? " carrier thread" : " carrier threads") + " (workers " + workers
                + ", " + cores + " cores, one left to RocksDB and the rest)";
    }
}
