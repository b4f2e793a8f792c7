package dev.basalt.bench;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Load program for make bench (not a test): opens N idle client connections (each sends one PING so
 * the server has really served it), and prints the server process's resident memory growth per
 * connection, read from /proc.
 * Usage: IdleConnections port serverPid connections
 */
public final class IdleConnections {
    private IdleConnections() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        long pid = Long.parseLong(args[1]);
        int n = Integer.parseInt(args[2]);
        long before = rssKb(pid);
        List<Socket> sockets = new ArrayList<>(n);
        byte[] ping = "PING\r\n".getBytes();
        byte[] reply = new byte[7];
        for (int i = 0; i < n; i++) {
            Socket s = new Socket();
            s.connect(new InetSocketAddress("127.0.0.1", port));
            s.getOutputStream().write(ping);
            s.getInputStream().readNBytes(reply, 0, reply.length);
            sockets.add(s);
        }
        Thread.sleep(2000);
        long after = rssKb(pid);
        System.out.printf("%.1f%n", (after - before) / (double) n);
        for (Socket s : sockets) {
            s.close();
        }
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
