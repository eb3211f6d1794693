package io.flagman.cluster;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A watch on one key or a prefix that survives etcd going away: every (re)start first reads the current value(s)
 * with a deadline (delivering what changed after the last delivered revision — so a compaction or a long
 * disconnection loses nothing that matters), then watches from the revision of that read. On any error of the
 * jetcd watch, or when etcd cannot be read, it retries with a bounded back-off until closed. Events reach the
 * listener in order on the store's event thread.
 */
final class KeyWatch implements StoreWatch {

    /** What the watch delivers: a key's new value (null: deleted) at {@code revision}. */
    interface Sink {
        void event(String key, byte[] value, long revision);
    }

    private static final Logger LOG = Logger.getLogger(KeyWatch.class.getName());
    private static final Duration MIN_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(1);

    private final EtcdStore store;
    private final String key;
    private final boolean prefix;
    private final Sink sink;
    private final ScheduledExecutorService scheduler;
    private final java.util.concurrent.Executor events;
    private long revision;
    private boolean present;
    private Watch.Watcher watcher;
    private boolean closed;
    private long backoffMillis = MIN_BACKOFF.toMillis();
    private int generation;

    KeyWatch(EtcdStore store, String key, boolean prefix, long fromRevision, Sink sink,
            ScheduledExecutorService scheduler, java.util.concurrent.Executor events) {
        this.events = events;
        this.store = store;
        this.key = key;
        this.prefix = prefix;
        this.revision = fromRevision;
        this.sink = sink;
        this.scheduler = scheduler;
    }

    void start() {
        try {
            scheduler.execute(this::establish);
        } catch (java.util.concurrent.RejectedExecutionException storeClosed) {
            close();
        }
    }

    @Override
    public synchronized long revision() {
        return revision;
    }

    @Override
    public void close() {
        Watch.Watcher w;
        synchronized (this) {
            closed = true;
            w = watcher;
            watcher = null;
        }
        if (w != null) {
            w.close();
        }
    }

    private void establish() {
        synchronized (this) {
            if (closed) {
                return;
            }
        }
        StoreResult<EtcdStore.Read> read = store.readRange(key, prefix);
        if (!(read instanceof StoreResult.Ok<EtcdStore.Read> ok)) {
            retryLater();
            return;
        }
        int gen;
        synchronized (this) {
            if (closed) {
                return;
            }
            catchUp(ok.value());
            backoffMillis = MIN_BACKOFF.toMillis();
            gen = ++generation;
        }
        WatchOption.Builder option = WatchOption.builder().withRevision(revision() + 1);
        if (prefix) {
            option.isPrefix(true);
        }
        Watch.Watcher w = store.client().getWatchClient().watch(bytes(key), option.build(), Watch.listener(
                response -> onResponse(gen, response), error -> onError(gen, error), () -> onError(gen, null)));
        boolean stale;
        synchronized (this) {
            stale = closed || gen != generation;
            if (!stale) {
                watcher = w;
            }
        }
        if (stale) {
            w.close();
        }
    }

    /** Delivers what the read shows changed since the last delivered revision. Holds the lock. */
    private void catchUp(EtcdStore.Read read) {
        List<KeyValue> kvs = read.kvs();
        if (!prefix) {
            if (kvs.isEmpty()) {
                if (present) {
                    present = false;
                    deliver(key, null, read.revision());
                }
            } else {
                KeyValue kv = kvs.get(0);
                present = true;
                if (kv.getModRevision() > revision) {
                    deliver(key, kv.getValue().getBytes(), kv.getModRevision());
                }
            }
        } else {
            for (KeyValue kv : kvs) {
                if (kv.getModRevision() > revision) {
                    deliver(kv.getKey().toString(StandardCharsets.UTF_8), kv.getValue().getBytes(),
                            kv.getModRevision());
                }
            }
        }
        revision = Math.max(revision, read.revision());
    }

    /**
     * Hands one event to the listener on the store's event thread, in order (called with the lock held), so a
     * listener may block (fetch a version, apply it) without holding up the etcd client's own threads.
     */
    private void deliver(String k, byte[] value, long rev) {
        try {
            events.execute(() -> {
                synchronized (this) {
                    if (closed) {
                        return;
                    }
                }
                try {
                    sink.event(k, value, rev);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "listener of " + k + " failed at revision " + rev, e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException storeClosed) {
            // the store is closing: nobody listens any more
        }
    }

    private void onResponse(int gen, WatchResponse response) {
        synchronized (this) {
            if (closed || gen != generation) {
                return;
            }
            for (WatchEvent e : response.getEvents()) {
                KeyValue kv = e.getKeyValue();
                long rev = kv.getModRevision();
                if (rev <= revision) {
                    continue;
                }
                revision = rev;
                boolean deleted = e.getEventType() == WatchEvent.EventType.DELETE;
                present = !deleted;
                deliver(kv.getKey().toString(StandardCharsets.UTF_8),
                        deleted ? null : kv.getValue().getBytes(), rev);
            }
        }
    }

    private void onError(int gen, Throwable error) {
        Watch.Watcher w;
        synchronized (this) {
            if (closed || gen != generation) {
                return;
            }
            generation++;
            w = watcher;
            watcher = null;
        }
        if (error != null) {
            LOG.log(Level.FINE, "watch of " + key + " broke, re-reading: " + error.getMessage());
        }
        if (w != null) {
            w.close();
        }
        retryLater();
    }

    private void retryLater() {
        long delay;
        synchronized (this) {
            if (closed) {
                return;
            }
            delay = backoffMillis;
            backoffMillis = Math.min(MAX_BACKOFF.toMillis(), backoffMillis * 2);
        }
        try {
            scheduler.schedule(this::establish, delay, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException storeClosed) {
            close();
        }
    }

    static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }
}
