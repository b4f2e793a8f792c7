package dev.basalt.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basalt.testutil.BlockedClients;
import dev.basalt.testutil.RawClient;
import dev.basalt.testutil.RespValue;
import dev.basalt.testutil.SharedServer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * XREAD and XREADGROUP with BLOCK over real sockets: woken by the XADD that feeds them and served
 * before that XADD replies, "$" meaning the last ID when the client blocked, each entry delivered to
 * exactly one consumer of a group among many blocked readers, timeouts, disconnects that leave nothing
 * behind, and no platform thread per parked client. Tests wait for the server's count of blocked
 * clients instead of sleeping.
 */
@Timeout(120)
class StreamBlockingTest {
    @RegisterExtension
    static final SharedServer server = new SharedServer();

    private static RawClient observer;

    @BeforeAll
    static void openObserver() {
        observer = server.raw();
    }

    @AfterAll
    static void closeObserver() {
        observer.close();
    }

    /** The IDs of the entries of a one-stream XREAD/XREADGROUP reply (RESP2). */
    private static List<String> ids(String reply) {
        RespValue v = RespValue.parse(reply);
        List<String> out = new ArrayList<>();
        for (RespValue entry : v.elements().get(0).elements().get(1).elements()) {
            out.add(entry.elements().get(0).text());
        }
        return out;
    }

    @Test
    void dollarIsTheLastIdWhenTheClientBlocked() {
        try (RawClient reader = server.raw(); RawClient writer = server.raw()) {
            writer.call("XADD", "dollar", "1-0", "f", "old");
            BlockedClients.sendAndAwait(reader, observer, "XREAD", "BLOCK", "0", "STREAMS", "dollar", "$");
            // Were "$" looked up again when the client is woken, the new entry would be "$" itself and
            // never be served.
            assertEquals("$3\r\n2-0\r\n", writer.call("XADD", "dollar", "2-0", "f", "new"));
            assertEquals("*1\r\n*2\r\n$6\r\ndollar\r\n*1\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nf\r\n$3\r\nnew\r\n",
                    reader.readReply());
        }
    }

    @Test
    void aBlockedGroupReaderIsServedBeforeTheXaddReplies() {
        try (RawClient reader = server.raw(); RawClient writer = server.raw()) {
            writer.call("XGROUP", "CREATE", "served", "g", "$", "MKSTREAM");
            for (int i = 1; i <= 20; i++) {
                BlockedClients.sendAndAwait(reader, observer, "XREADGROUP", "GROUP", "g", "c", "BLOCK", "0",
                        "STREAMS", "served", ">");
                writer.call("XADD", "served", i + "-0", "f", "v");
                // Anything the writer does after XADD's reply sees the entry delivered and pending.
                assertEquals(i, RespValue.parse(writer.call("XPENDING", "served", "g")).elements().get(0).asLong(),
                        "round " + i + ": the entry is pending by the time XADD replied");
                assertEquals(List.of(i + "-0"), ids(reader.readReply()));
            }
        }
    }

    @Test
    void timeoutAnswersANullArray() {
        try (RawClient reader = server.raw()) {
            long start = System.nanoTime();
            assertEquals("*-1\r\n", reader.call("XREAD", "BLOCK", "100", "STREAMS", "timeout", "$"));
            assertTrue(System.nanoTime() - start >= 100_000_000L, "answered before the timeout");
            reader.call("XGROUP", "CREATE", "timeout", "g", "$", "MKSTREAM");
            assertEquals("*-1\r\n", reader.call("XREADGROUP", "GROUP", "g", "c", "BLOCK", "50", "STREAMS", "timeout",
                    ">"));
        }
    }

    @Test
    void aDisconnectWhileBlockedLeavesNothingBehind() {
        try (RawClient admin = server.raw()) {
            admin.call("XGROUP", "CREATE", "gone", "g", "$", "MKSTREAM");
            int before = BlockedClients.count(observer);
            RawClient reader = server.raw();
            BlockedClients.sendAndAwait(reader, observer, "XREADGROUP", "GROUP", "g", "leaver", "BLOCK", "0",
                    "STREAMS", "gone", ">");
            reader.close();
            BlockedClients.await(observer, before);
            admin.call("XADD", "gone", "1-0", "f", "v");
            assertEquals("*4\r\n:0\r\n$-1\r\n$-1\r\n*-1\r\n", admin.call("XPENDING", "gone", "g"));
            assertEquals("*0\r\n", admin.call("XINFO", "CONSUMERS", "gone", "g"), "the consumer was never created");
            RespValue group = RespValue.parse(admin.call("XINFO", "GROUPS", "gone")).elements().get(0);
            assertEquals("last-delivered-id", group.elements().get(6).text());
            assertEquals("0-0", group.elements().get(7).text(), "nothing was delivered");
        }
    }

    @Test
    void everyBlockedXreadGetsTheNewEntry() throws Exception {
        int readers = 100;
        List<RawClient> conns = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor(); RawClient writer = server.raw()) {
            int before = BlockedClients.count(observer);
            for (int i = 0; i < readers; i++) {
                RawClient c = server.raw();
                c.send(RawClient.encode("XREAD", "BLOCK", "0", "STREAMS", "fanout", "$"));
                conns.add(c);
            }
            BlockedClients.await(observer, before + readers);
            writer.call("XADD", "fanout", "7-0", "f", "v");
            List<Future<String>> replies = new ArrayList<>();
            for (RawClient c : conns) {
                replies.add(pool.submit(c::readReply));
            }
            for (Future<String> r : replies) {
                assertEquals(List.of("7-0"), ids(r.get(60, TimeUnit.SECONDS)));
            }
        } finally {
            conns.forEach(RawClient::close);
        }
    }

    @Test
    void eachEntryGoesToExactlyOneConsumerOfTheGroup() throws Exception {
        int consumers = 50;
        int entries = 2000;
        try (RawClient admin = server.raw()) {
            admin.call("XGROUP", "CREATE", "queue", "workers", "$", "MKSTREAM");
        }
        Set<String> delivered = ConcurrentHashMap.newKeySet();
        AtomicInteger duplicates = new AtomicInteger();
        List<Future<?>> workers = new ArrayList<>();
        int before = BlockedClients.count(observer);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < consumers; i++) {
                String name = "worker" + i;
                workers.add(pool.submit(() -> {
                    try (RawClient c = server.raw()) {
                        while (true) {
                            String reply = c.call("XREADGROUP", "GROUP", "workers", name, "COUNT", "1", "BLOCK", "0",
                                    "STREAMS", "queue", ">");
                            for (String id : ids(reply)) {
                                if (id.startsWith("999999-")) {
                                    return null; // an end marker: one for each worker
                                }
                                if (!delivered.add(id)) {
                                    duplicates.incrementAndGet();
                                }
                                c.call("XACK", "queue", "workers", id);
                            }
                        }
                    }
                }));
            }
            BlockedClients.await(observer, before + consumers);
            try (RawClient producer = server.raw()) {
                for (int i = 1; i <= entries; i++) {
                    assertEquals("$" + (i + "-0").length() + "\r\n" + i + "-0\r\n",
                            producer.call("XADD", "queue", i + "-0", "n", Integer.toString(i)));
                }
                for (int i = 0; i < consumers; i++) {
                    producer.call("XADD", "queue", "999999-" + i, "end", "1");
                }
            }
            for (Future<?> w : workers) {
                w.get(60, TimeUnit.SECONDS);
            }
        }
        assertEquals(0, duplicates.get(), "entries delivered twice");
        Set<String> expected = new HashSet<>();
        for (int i = 1; i <= entries; i++) {
            expected.add(i + "-0");
        }
        assertEquals(expected, delivered, "every entry delivered");
        try (RawClient check = server.raw()) {
            // Only the end markers stay pending: every entry was acknowledged by the consumer it went to.
            assertEquals(consumers, RespValue.parse(check.call("XPENDING", "queue", "workers")).elements().get(0)
                    .asLong());
        }
    }

    @Test
    void aThousandBlockedGroupReadersUseNoPlatformThreads() throws Exception {
        int clients = 1000;
        List<RawClient> conns = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor(); RawClient admin = server.raw()) {
            admin.call("XGROUP", "CREATE", "threads", "g", "$", "MKSTREAM");
            // Warm up: the virtual-thread scheduler and socket pollers exist before the baseline.
            assertEquals("*-1\r\n", admin.call("XREADGROUP", "GROUP", "g", "warm", "BLOCK", "10", "STREAMS",
                    "threads", ">"));
            int before = BlockedClients.count(observer);
            int platformBefore = Thread.getAllStackTraces().size();
            List<Future<RawClient>> opened = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                String name = "c" + i;
                opened.add(pool.submit(() -> {
                    RawClient c = new RawClient(server.port());
                    c.send(RawClient.encode("XREADGROUP", "GROUP", "g", name, "BLOCK", "0", "STREAMS", "threads", ">"));
                    return c;
                }));
            }
            for (Future<RawClient> f : opened) {
                conns.add(f.get(60, TimeUnit.SECONDS));
            }
            BlockedClients.await(observer, before + clients);
            // Thread.getAllStackTraces lists platform threads only; a thread per client would add a thousand.
            int platformDuring = Thread.getAllStackTraces().size();
            assertTrue(platformDuring - platformBefore < 50,
                    "platform threads before " + platformBefore + ", with " + clients + " blocked: " + platformDuring);
            // One XADD serves exactly one of them.
            admin.call("XADD", "threads", "1-0", "f", "v");
            BlockedClients.await(observer, before + clients - 1);
            assertEquals(1, RespValue.parse(admin.call("XPENDING", "threads", "g")).elements().get(0).asLong());
        } finally {
            conns.forEach(RawClient::close);
        }
        BlockedClients.await(observer, 0);
    }
}
