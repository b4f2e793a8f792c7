package dev.basalt.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basalt.testutil.RawClient;
import dev.basalt.testutil.RespValue;
import dev.basalt.testutil.TestServer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * 20 clients each pipeline 500 mixed transactions while commits fail now and then. Every reply must
 * match its request, and afterwards every key holds what the committed transactions alone give.
 */
class TransactionStressTest {
    private static final int CLIENTS = 20;
    private static final int TXNS = 500;
    private static final int PIPELINE = 25;

    /** One queued command, and the reply the client's model of its keys predicts. */
    private record Op(String[] args) {
    }

    @Test
    void everyReplyMatchesAndOnlyCommittedTransactionsApply() throws Exception {
        try (TestServer s = TestServer.start()) {
            AtomicBoolean done = new AtomicBoolean();
            Thread toggler = Thread.ofVirtual().start(() -> {
                Random r = new Random(7);
                try (RawClient admin = s.raw()) {
                    boolean on = false;
                    while (!done.get()) {
                        on = !on && r.nextInt(3) == 0;
                        admin.call("DEBUG", "FAIL-WRITES", on ? "on" : "off");
                        Thread.sleep(1 + r.nextInt(4));
                    }
                    admin.call("DEBUG", "FAIL-WRITES", "off");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            AtomicInteger committed = new AtomicInteger();
            AtomicInteger aborted = new AtomicInteger();
            List<Thread> clients = new ArrayList<>();
            List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int i = 0; i < CLIENTS; i++) {
                int id = i;
                clients.add(Thread.ofVirtual().start(() -> {
                    try {
                        runClient(s, id, committed, aborted);
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                }));
            }
            for (Thread t : clients) {
                t.join();
            }
            done.set(true);
            toggler.join();
            if (!failures.isEmpty()) {
                throw new AssertionError(failures.get(0));
            }
            assertEquals(CLIENTS * TXNS, committed.get() + aborted.get());
            assertTrue(committed.get() > 0, "some transactions committed");
            assertTrue(aborted.get() > 0, "some commits failed");
        }
    }

    private static void runClient(TestServer s, int id, AtomicInteger committed, AtomicInteger aborted) {
        Random r = new Random(id);
        String[] keys = {id + ":a", id + ":b", id + ":c"};
        String counter = id + ":n";
        String hash = id + ":h";
        String list = id + ":l";
        Map<String, String> model = new HashMap<>();
        try (RawClient c = s.raw()) {
            for (int sent = 0; sent < TXNS; sent += PIPELINE) {
                List<List<Op>> batch = new ArrayList<>();
                StringBuilder out = new StringBuilder();
                for (int t = 0; t < PIPELINE; t++) {
                    List<Op> ops = new ArrayList<>();
                    int n = 1 + r.nextInt(5);
                    for (int k = 0; k < n; k++) {
                        String key = keys[r.nextInt(keys.length)];
                        ops.add(switch (r.nextInt(6)) {
                            case 0 -> new Op(new String[] {"SET", key, "v" + r.nextInt(1000)});
                            case 1 -> new Op(new String[] {"INCR", counter});
                            case 2 -> new Op(new String[] {"GET", key});
                            case 3 -> new Op(new String[] {"HSET", hash, "f" + r.nextInt(3), "v" + r.nextInt(1000)});
                            case 4 -> new Op(new String[] {"LPUSH", list, "e" + r.nextInt(1000)});
                            default -> new Op(new String[] {"DEL", key});
                        });
                    }
                    batch.add(ops);
                    out.append(RawClient.encode("MULTI"));
                    for (Op op : ops) {
                        out.append(RawClient.encode(op.args()));
                    }
                    out.append(RawClient.encode("EXEC"));
                }
                c.send(out.toString());
                for (List<Op> ops : batch) {
                    assertEquals("+OK\r\n", c.readReply());
                    for (int k = 0; k < ops.size(); k++) {
                        assertEquals("+QUEUED\r\n", c.readReply());
                    }
                    RespValue exec = RespValue.parse(c.readReply());
                    if (exec.isError()) {
                        assertTrue(exec.text().startsWith("ERR EXEC aborted, no command applied: "), exec.text());
                        aborted.incrementAndGet();
                        continue;
                    }
                    assertEquals('*', exec.type());
                    assertEquals(ops.size(), exec.elements().size());
                    Map<String, String> next = new HashMap<>(model);
                    for (int k = 0; k < ops.size(); k++) {
                        checkAndApply(ops.get(k).args(), exec.elements().get(k), next);
                    }
                    model = next;
                    committed.incrementAndGet();
                }
            }
            for (String key : keys) {
                RespValue v = RespValue.parse(c.call("GET", key));
                assertEquals(model.get(key), v.text(), "final value of " + key);
            }
            RespValue n = RespValue.parse(c.call("GET", counter));
            assertEquals(model.get(counter), n.text());
            RespValue len = RespValue.parse(c.call("LLEN", list));
            assertEquals(Long.parseLong(model.getOrDefault(list + "|len", "0")), len.asLong(), "final list length");
            for (int f = 0; f < 3; f++) {
                RespValue v = RespValue.parse(c.call("HGET", hash, "f" + f));
                assertEquals(model.get(hash + "|f" + f), v.text(), "final value of field f" + f);
            }
        }
    }

    private static void checkAndApply(String[] args, RespValue reply, Map<String, String> model) {
        String key = args[1];
        switch (args[0]) {
            case "SET" -> {
                assertEquals('+', reply.type());
                model.put(key, args[2]);
            }
            case "INCR" -> {
                long expected = Long.parseLong(model.getOrDefault(key, "0")) + 1;
                assertEquals(':', reply.type());
                assertEquals(expected, reply.asLong());
                model.put(key, Long.toString(expected));
            }
            case "GET" -> {
                if (model.containsKey(key)) {
                    assertEquals(model.get(key), reply.text());
                } else {
                    assertTrue(reply.isNull());
                    assertNull(reply.text());
                }
            }
            case "HSET" -> {
                String field = key + "|" + args[2];
                assertEquals(':', reply.type());
                assertEquals(model.containsKey(field) ? 0 : 1, reply.asLong());
                model.put(field, args[3]);
            }
            case "LPUSH" -> {
                long expected = Long.parseLong(model.getOrDefault(key + "|len", "0")) + 1;
                assertEquals(':', reply.type());
                assertEquals(expected, reply.asLong());
                model.put(key + "|len", Long.toString(expected));
            }
            case "DEL" -> {
                assertEquals(':', reply.type());
                assertEquals(model.containsKey(key) ? 1 : 0, reply.asLong());
                model.remove(key);
            }
            default -> throw new AssertionError(args[0]);
        }
    }
}
