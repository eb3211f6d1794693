package io.flagman.proxy.log;

/**
 * The connection counters of a log line, sampled when the line is emitted: {@code %ac/%fc/%bc/%sc}.
 *
 * @param process connections on the whole process ({@code %ac})
 * @param frontend connections on the frontend ({@code %fc})
 * @param backend connections on the backend ({@code %bc})
 * @param server connections on the server ({@code %sc})
 */
public record Connections(int process, int frontend, int backend, int server) {
    public static final Connections NONE = new Connections(0, 0, 0, 0);
}
