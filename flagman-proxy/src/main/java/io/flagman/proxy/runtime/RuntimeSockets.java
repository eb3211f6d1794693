package io.flagman.proxy.runtime;

import io.flagman.config.model.Global;
import io.flagman.config.model.StatsSocket;
import io.flagman.proxy.ApplyException;
import io.flagman.proxy.DataPlane;
import io.flagman.proxy.Transport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The runtime sockets of the running configuration, keyed by address. Like the listeners, an apply first
 * {@linkplain #prepare prepares} (binds the new addresses; a bind that fails rejects the apply), then {@linkplain
 * Plan#commit commits} (a kept socket takes the line's new level and mode, a removed one is closed and its file
 * deleted). Connections run on the data plane's accept loop, never on the request loops.
 *
 * <p>Thread-safety: {@link #prepare}, {@link Plan#commit}, {@link Plan#abort} and {@link #close} run under the
 * data plane's apply lock.
 */
public final class RuntimeSockets implements AutoCloseable {
    private final Transport transport;
    private final CommandTable commands;
    private final Map<String, CliListener> bound = new LinkedHashMap<>();
    // Connections open over every socket: stats maxconn bounds them.
    private final AtomicInteger connections = new AtomicInteger();
    private boolean closed;

    public RuntimeSockets(Transport transport, DataPlane dataPlane) {
        this.transport = transport;
        this.commands = CommandTable.standard(new ServerControl(dataPlane));
    }

    /** What an apply will change: the sockets it bound, the ones it keeps and the ones it closes. */
    public final class Plan {
        private final Global global;
        private final List<CliListener> opened;
        private final Map<String, StatsSocket> kept;

        private Plan(Global global, List<CliListener> opened, Map<String, StatsSocket> kept) {
            this.global = global;
            this.opened = opened;
            this.kept = kept;
        }

        /** After the swap: the new sockets serve, kept ones take their new settings, removed ones close. */
        public void commit() {
            CliSettings settings = CliSettings.of(global);
            bound.entrySet().removeIf(e -> {
                StatsSocket line = kept.get(e.getKey());
                if (line == null) {
                    e.getValue().close();
                    return true;
                }
                e.getValue().reconfigure(line, settings);
                return false;
            });
            for (CliListener l : opened) {
                l.reconfigure(l.socket(), settings);
                bound.put(l.socket().address().text(), l);
            }
        }

        /** The apply was rejected: closes what this plan opened. */
        public void abort() {
            opened.forEach(CliListener::close);
        }
    }

    /** Binds the sockets {@code global} has that are not bound yet. */
    public Plan prepare(Global global) throws ApplyException {
        if (closed) {
            throw new ApplyException("the runtime sockets are closed");
        }
        List<CliListener> opened = new ArrayList<>();
        Map<String, StatsSocket> kept = new LinkedHashMap<>();
        CliSettings settings = CliSettings.of(global);
        try {
            for (StatsSocket s : global.statsSockets()) {
                String key = s.address().text();
                if (bound.containsKey(key)) {
                    kept.put(key, s);
                } else if (opened.stream().noneMatch(l -> l.socket().address().text().equals(key))) {
                    opened.add(CliListener.bind(transport, s, settings, commands, connections));
                }
            }
        } catch (ApplyException | RuntimeException e) {
            opened.forEach(CliListener::close);
            throw e;
        }
        return new Plan(global, opened, kept);
    }

    @Override
    public void close() {
        closed = true;
        bound.values().forEach(CliListener::close);
        bound.clear();
    }
}
