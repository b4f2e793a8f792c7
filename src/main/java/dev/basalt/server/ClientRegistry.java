package dev.basalt.server;

import dev.basalt.command.ClientDirectory;
import dev.basalt.command.ClientSession;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The connected clients, for CLIENT LIST/KILL, INFO clients and maxclients. */
public final class ClientRegistry implements ClientDirectory {
    private final ConcurrentHashMap<Long, ClientSession> clients = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong(1);

    public long nextId() {
        return nextId.getAndIncrement();
    }

    public void add(ClientSession c) {
        clients.put(c.id(), c);
    }

    public void remove(ClientSession c) {
        clients.remove(c.id());
    }

    @Override
    public int count() {
        return clients.size();
    }

    @Override
    public ClientSession get(long id) {
        ClientSession c = clients.get(id);
        return c == null || c.killed() ? null : c;
    }

    /** Every session whose connection has not ended yet, killed ones included. */
    List<ClientSession> connected() {
        return new ArrayList<>(clients.values());
    }

    /** Clients in id order, as CLIENT LIST shows them; a killed client is gone at once, as in Redis. */
    @Override
    public List<ClientSession> list() {
        List<ClientSession> l = new ArrayList<>();
        for (ClientSession c : clients.values()) {
            if (!c.killed()) {
                l.add(c);
            }
        }
        l.sort(Comparator.comparingLong(ClientSession::id));
        return l;
    }
}
