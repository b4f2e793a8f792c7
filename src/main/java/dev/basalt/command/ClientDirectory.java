package dev.basalt.command;

import java.util.List;

/** The connected clients, as CLIENT LIST/KILL and INFO clients see them. */
public interface ClientDirectory {
    /** Clients in id order. */
    List<ClientSession> list();

    /** The client with this id, or null. */
    ClientSession get(long id);

    int count();
}
