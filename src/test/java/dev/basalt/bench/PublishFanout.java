package dev.basalt.bench;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load program for make bench (not a test): N connections SUBSCRIBE one channel, one publisher
 * pipelines PUBLISHes to it, and the clock stops when every subscriber has read every message.
 * Prints "publishes/s deliveries/s KB-per-subscriber KB-per-subscriber-after": the server's resident
 * memory growth per subscribed connection (from /proc, given the server's pid) once all subscribed,
 * and once every message was delivered.
 * Usage: PublishFanout port subscribers messages [serverPid]
 */
public final class PublishFanout {
    private static final String CHANNEL = "bench:fanout";
    private static final String PAYLOAD = "0123456789abcdef";
    private static final int WINDOW = 64;

    private PublishFanout() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int subscribers = Integer.parseInt(args[1]);
        int messages = Integer.parseInt(args[2]);
        long pid = args.length > 3 ? Long.parseLong(args[3]) : -1;
        long rssBefore = pid > 0 ? rssKb(pid) : 0;
        byte[] subscribe = command("SUBSCRIBE", CHANNEL);
        int confirmation = ("*3\r\n$9\r\nsubscribe\r\n$" + CHANNEL.length() + "\r\n" + CHANNEL + "\r\n:1\r\n").length();
        int frame = ("*3\r\n$7\r\nmessage\r\n$" + CHANNEL.length() + "\r\n" + CHANNEL + "\r\n$" + PAYLOAD.length()
                + "\r\n" + PAYLOAD + "\r\n").length();
        long expectedBytes = (long) frame * messages;
        List<Socket> sockets = new ArrayList<>(subscribers);
        AtomicLong done = new AtomicLong();
        List<Thread> readers = new ArrayList<>(subscribers);
        for (int i = 0; i < subscribers; i++) {
            Socket s = new Socket();
            s.connect(new InetSocketAddress("127.0.0.1", port));
            s.getOutputStream().write(subscribe);
            s.getInputStream().readNBytes(confirmation);
            sockets.add(s);
            readers.add(Thread.ofVirtual().unstarted(() -> {
                try {
                    InputStream in = s.getInputStream();
                    byte[] buf = new byte[16 * 1024];
                    long got = 0;
                    while (got < expectedBytes) {
                        int n = in.read(buf);
                        if (n < 0) {
                            break;
                        }
                        got += n;
                    }
                    done.incrementAndGet();
                } catch (Exception e) {
                    // counted as not done
                }
            }));
        }
        long rssAfter = pid > 0 ? rssKb(pid) : 0;
        readers.forEach(Thread::start);
        try (Socket pub = new Socket()) {
            pub.connect(new InetSocketAddress("127.0.0.1", port));
            pub.setTcpNoDelay(true);
            OutputStream out = pub.getOutputStream();
            InputStream in = pub.getInputStream();
            byte[] publish = command("PUBLISH", CHANNEL, PAYLOAD);
            String reply = ":" + subscribers + "\r\n";
            long start = System.nanoTime();
            for (int sent = 0; sent < messages; sent += WINDOW) {
                int batch = Math.min(WINDOW, messages - sent);
                byte[] burst = new byte[publish.length * batch];
                for (int i = 0; i < batch; i++) {
                    System.arraycopy(publish, 0, burst, i * publish.length, publish.length);
                }
                out.write(burst);
                byte[] replies = in.readNBytes(reply.length() * batch);
                if (!new String(replies, StandardCharsets.US_ASCII).equals(reply.repeat(batch))) {
                    throw new IllegalStateException("unexpected PUBLISH replies: " + new String(replies, StandardCharsets.US_ASCII));
                }
            }
            for (Thread t : readers) {
                t.join();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (done.get() != subscribers) {
                throw new IllegalStateException(done.get() + " of " + subscribers + " subscribers got every message");
            }
            long rssEnd = pid > 0 ? rssKb(pid) : 0;
            System.out.printf("%.0f %.0f %.1f %.1f%n", messages / seconds, (double) messages * subscribers / seconds,
                    pid > 0 ? (rssAfter - rssBefore) / (double) subscribers : 0.0,
                    pid > 0 ? (rssEnd - rssBefore) / (double) subscribers : 0.0);
        }
        for (Socket s : sockets) {
            s.close();
        }
    }

    private static byte[] command(String... args) {
        StringBuilder sb = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            sb.append('$').append(a.length()).append("\r\n").append(a).append("\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static long rssKb(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS for pid " + pid);
    }
}
