package dev.basalt.command;

/** What commands may ask of the running server itself. */
public interface ServerControl {
    /** The first listening port (INFO tcp_port). */
    int port();

    /** When the server started, Unix ms (INFO uptime). */
    long startMillis();

    /** Stops the server gracefully in the background (SHUTDOWN). */
    void shutdownAsync();
}
