package dev.basalt.command;

/**
 * A per-second rate measured as Redis measures its instantaneous stats: every sample takes the growth of a
 * running total since the previous sample, divided by the time between them; the rate is the mean of the
 * last {@value #SAMPLES} samples (1.6 s of history at ten samples a second).
 */
public final class InstantaneousMetric {
    static final int SAMPLES = 16;

    private final long[] perSecond = new long[SAMPLES];
    private int next;
    private long lastTotal = -1;
    private long lastMillis;

    /** Records the total as of nowMillis; called by one thread (the server's cron). */
    public synchronized void sample(long nowMillis, long total) {
        if (lastTotal >= 0 && nowMillis > lastMillis) {
            perSecond[next] = Math.max(0, total - lastTotal) * 1000 / (nowMillis - lastMillis);
            next = (next + 1) % SAMPLES;
        }
        lastTotal = total;
        lastMillis = nowMillis;
    }

    /** The mean per-second rate over the recent samples. */
    public synchronized long perSecond() {
        long sum = 0;
        for (long v : perSecond) {
            sum += v;
        }
        return sum / SAMPLES;
    }

    synchronized void reset() {
        java.util.Arrays.fill(perSecond, 0);
        lastTotal = -1;
    }
}
