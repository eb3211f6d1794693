package io.flagman.cluster;

import java.util.List;

/**
 * A node's health summary.
 *
 * @param down the servers that are DOWN, as {@code backend/server}
 * @param requests HTTP responses counted since the node started
 * @param http5xx 5xx responses among them
 */
public record Health(int serversUp, int serversDown, List<String> down, long requests, long http5xx) {
    public Health {
        down = down == null ? List.of() : List.copyOf(down);
    }

    /** No servers, no traffic. */
    public static Health none() {
        return new Health(0, 0, List.of(), 0, 0);
    }
}
