package io.flagman.cluster;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.support.CloseableClient;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The fleet's store in etcd (layout in docs/cluster.md, "The store"), through jetcd. Every call is bounded by a
 * deadline ({@link #DEFAULT_DEADLINE} unless given; {@link #FIRST_CONTACT} until etcd first answered): when etcd
 * cannot be reached it answers {@link StoreResult.Unavailable} instead of waiting. Thread-safe.
 */
public final class EtcdStore implements AutoCloseable {

    /** How long one store call may take before it answers {@link StoreResult.Unavailable}. */
    public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(2);
    /** Time to live of action and result keys. */
    public static final Duration ACTION_TTL = Duration.ofSeconds(60);

    /**
     * The budget of calls until etcd first answered this store: loading and starting the gRPC client in a fresh
     * JVM takes a second or more on a busy machine, which is not etcd being slow.
     */
    public static final Duration FIRST_CONTACT = Duration.ofSeconds(10);

    private static final int MAX_INBOUND = 64 << 20;

    private final Client client;
    private final List<URI> endpoints;
    private final Keys keys;
    private final Duration deadline;
    private final int chunkSize;
    private final Duration leaseTtl;
    private final ScheduledExecutorService scheduler;
    private final java.util.concurrent.ExecutorService events;
    private final Object leaseLock = new Object();
    private long leaseId;
    private CloseableClient keepAlive;
    private volatile boolean contacted;

    private EtcdStore(List<URI> endpoints, String prefix, Duration deadline, int chunkSize, Duration leaseTtl) {
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("no etcd endpoints");
        }
        this.endpoints = List.copyOf(endpoints);
        this.keys = new Keys(prefix);
        this.deadline = deadline;
        this.chunkSize = chunkSize;
        this.leaseTtl = leaseTtl;
        this.client = Client.builder()
                .endpoints(this.endpoints)
                .connectTimeout(deadline)
                .retryMaxDuration(deadline)
                .maxInboundMessageSize(MAX_INBOUND)
                .waitForReady(false)
                .interceptor(new UnaryDeadline(deadline.compareTo(FIRST_CONTACT) > 0 ? deadline : FIRST_CONTACT))
                .build();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "flagman-etcd-watch");
            t.setDaemon(true);
            return t;
        });
        this.events = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "flagman-etcd-events");
            t.setDaemon(true);
            return t;
        });
    }

    /** A store on {@code endpoints} under {@code prefix} with the default deadline, chunk size and lease TTL. */
    public static EtcdStore connect(List<URI> endpoints, String prefix) {
        return connect(endpoints, prefix, DEFAULT_DEADLINE, Blobs.CHUNK_SIZE, ClusterSettings.DEFAULT_LEASE_TTL);
    }

    /** A store for {@code settings} (endpoints, prefix, lease TTL) with the default deadline. */
    public static EtcdStore connect(ClusterSettings settings) {
        return connect(settings.endpoints(), settings.prefix(), DEFAULT_DEADLINE, Blobs.CHUNK_SIZE,
                settings.leaseTtl());
    }

    /** A store with every knob given (tests use a small {@code chunkSize}). Connecting itself never blocks. */
    public static EtcdStore connect(List<URI> endpoints, String prefix, Duration deadline, int chunkSize,
            Duration leaseTtl) {
        return new EtcdStore(endpoints, prefix, deadline, chunkSize, leaseTtl);
    }

    /** The key prefix, normalised ({@code /flagman/default}). */
    public String prefix() {
        return keys.prefix();
    }

    /** The etcd endpoints. */
    public List<URI> endpoints() {
        return endpoints;
    }

    /** The per-call deadline. */
    public Duration deadline() {
        return deadline;
    }

    // ---- versions and channels -------------------------------------------------------------------------------

    /**
     * Publishes {@code text} as the next version N (the highest existing + 1) and points {@code channel} at it:
     * the blob chunks first, then one transaction (version N still absent AND the channel's mod revision ==
     * {@code expectedModRevision}, 0 for a channel that must not exist yet) that writes the version, the
     * pointer {@code {version:N, previous:old}} and a "publish" history entry. The text is stored without its
     * version line.
     *
     * @return the new pointer (with its mod revision); {@link StoreResult.Conflict} with the current pointer when
     *     the channel moved; {@link StoreResult.Unavailable} when etcd is unreachable
     */
    public StoreResult<ChannelPointer> publish(String channel, long expectedModRevision, String text, String author,
            String message) {
        String body = io.flagman.control.store.VersionLine.strip(text);
        String checksum = Blobs.checksum(body);
        byte[] utf8 = body.getBytes(StandardCharsets.UTF_8);
        List<byte[]> chunks = Blobs.split(Blobs.gzip(utf8), chunkSize);
        long end = end(); // the deadline is etcd's: compressing a large text locally does not count against it
        try {
            Optional<ChannelPointer> old = readPointer(channel, end);
            long oldRevision = old.map(ChannelPointer::modRevision).orElse(0L);
            if (oldRevision != expectedModRevision) {
                return conflict(channel, old.orElse(null), expectedModRevision);
            }
            for (int i = 0; i < chunks.size(); i++) {
                await(client.getKVClient().put(bytes(keys.blobChunk(checksum, i)), ByteSequence.from(chunks.get(i))),
                        end);
            }
            long parent = old.map(ChannelPointer::version).orElse(0L);
            for (long n = highestVersion(end) + 1; ; n++) {
                Instant now = Instant.now();
                VersionInfo info = new VersionInfo(n, parent, author, message == null ? "" : message, now, checksum,
                        utf8.length, chunks.size());
                ChannelPointer next = new ChannelPointer(channel, n, parent, null, null, now, author, 0);
                HistoryEntry entry = new HistoryEntry(now, channel, parent, n, "publish", author, message, false);
                TxnResponse r = await(client.getKVClient().txn()
                        .If(new Cmp(bytes(keys.version(n)), Cmp.Op.EQUAL, CmpTarget.createRevision(0)),
                                new Cmp(bytes(keys.channel(channel)), Cmp.Op.EQUAL,
                                        CmpTarget.modRevision(expectedModRevision)))
                        .Then(Op.put(bytes(keys.version(n)), json(info), PutOption.DEFAULT),
                                Op.put(bytes(keys.channel(channel)), json(next), PutOption.DEFAULT),
                                Op.put(bytes(keys.history(now, channel, n)), json(entry), PutOption.DEFAULT))
                        .Else(Op.get(bytes(keys.channel(channel)), GetOption.DEFAULT))
                        .commit(), end);
                if (r.isSucceeded()) {
                    return StoreResult.ok(next.withModRevision(r.getHeader().getRevision()));
                }
                Optional<ChannelPointer> now2 = pointerOf(r.getGetResponses().get(0));
                long rev = now2.map(ChannelPointer::modRevision).orElse(0L);
                if (rev != expectedModRevision) {
                    return conflict(channel, now2.orElse(null), expectedModRevision);
                }
                // Version n was taken by a concurrent publish to another channel: take the next number.
            }
        } catch (Down d) {
            return StoreResult.unavailable(d.getMessage());
        }
    }

    /**
     * Version {@code n} with its text, verified against its checksum.
     *
     * @return empty when there is no such version; {@link StoreResult.Unavailable} when etcd is unreachable or
     *     the stored text is damaged (the message says which)
     */
    public StoreResult<Optional<ConfigVersion>> version(long n) {
        long end = end();
        try {
            Optional<VersionInfo> info = readInfo(n, end);
            if (info.isEmpty()) {
                return StoreResult.ok(Optional.empty());
            }
            VersionInfo v = info.get();
            java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
            for (int i = 0; i < v.chunks(); i++) {
                GetResponse r = await(client.getKVClient().get(bytes(keys.blobChunk(v.checksum(), i))), end);
                if (r.getKvs().isEmpty()) {
                    return StoreResult.unavailable("version " + n + " is damaged in etcd: chunk " + i + " of "
                            + v.chunks() + " is missing (" + keys.blobChunk(v.checksum(), i) + ")");
                }
                gz.writeBytes(r.getKvs().get(0).getValue().getBytes());
            }
            String text;
            try {
                text = new String(Blobs.gunzip(gz.toByteArray()), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return StoreResult.unavailable("version " + n + " is damaged in etcd: " + e.getMessage());
            }
            String sum = Blobs.checksum(text);
            if (!sum.equals(v.checksum())) {
                return StoreResult.unavailable("version " + n + " is damaged in etcd: checksum " + sum
                        + " != recorded " + v.checksum());
            }
            return StoreResult.ok(Optional.of(new ConfigVersion(v, text)));
        } catch (Down d) {
            return StoreResult.unavailable(d.getMessage());
        }
    }

    /** Version {@code n}'s metadata only (empty: no such version). */
    public StoreResult<Optional<VersionInfo>> versionInfo(long n) {
        try {
            return StoreResult.ok(readInfo(n, end()));
        } catch (Down d) {
            return StoreResult.unavailable(d.getMessage());
        }
    }

    /** Every version's metadata, oldest first. */
    public StoreResult<List<VersionInfo>> versions() {
        return list(keys.versions(), VersionInfo.class);
    }

    /** The channel's pointer (empty: no such channel), with its mod revision. */
    public StoreResult<Optional<ChannelPointer>> channel(String name) {
        try {
            return StoreResult.ok(readPointer(name, end()));
        } catch (Down d) {
            return StoreResult.unavailable(d.getMessage());
        }
    }

    /** Every channel's pointer, by name. */
    public StoreResult<List<ChannelPointer>> channels() {
        try {
            GetResponse r = await(client.getKVClient().get(bytes(keys.channels()), prefixed()), end());
            List<ChannelPointer> out = new ArrayList<>();
            for (KeyValue kv : r.getKvs()) {
                out.add(pointer(kv));
            }
            return StoreResult.ok(out);
        } catch (Down d) {
            return StoreResult.unavailable(d.getMessage());
        }
    }

    /**
     * Moves a channel pointer by compare-and-set: writes {@code next} (its {@code channel} names the key) and
     * {@code entry} in one transaction if the channel's mod revision is still {@code expectedModRevision}
     * (0: the channel must not exist).
     *
     * @return the pointer written (with its new mod revision); {@link StoreResult.Conflict} with the current
     *     pointer when another move won
     */
    public StoreResult<ChannelPointer> move(ChannelPointer next, long expectedModRevision, HistoryEntry entry) {
        long end = end();
        String channel = next.channel();
        try {
            for (HistoryEntry e = entry; ; e = new HistoryEntry(e.time().plusMillis(1), e.channel(), e.from(), e.to(),
                    e.action(), e.by(), e.reason(), e.forced())) {
                String historyKey = keys.history(e.time(), channel, e.to());
                TxnResponse r = await(client.getKVClient().txn()
                        .If(new Cmp(bytes(keys.channel(channel)), Cmp.Op.EQUAL,
                                        CmpTarget.modRevision(expectedModRevision)),
                                new Cmp(bytes(historyKey), Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                        .Then(Op.put(bytes(keys.channel(channel)), json(next), PutOption.DEFAULT),
                                Op.put(bytes(historyKey), json(e), PutOption.DEFAULT))
                        .Else(Op.get(bytes(keys.channel(channel)), GetOption.DEFAULT))
                        .commit(), end);
                if (r.isSucceeded()) {
                    return StoreResult.ok(next.withModRevision(r.getHeader().getRevision()));
                }
                Optional<ChannelPointer> now = pointerOf(r.getGetResponses().get(0));
                if (now.map(ChannelPointer::modRevision).orElse(0L) != expectedModRevision) {
                    return conflict(channel, now.orElse(null), expectedModRevision);
                }
                // Another move of this channel to the same version in the same millisecond took the history key.
            }
        } catch (Down d) {
            return StoreResult.unavailable(d.getMessage());
        }
    }

    /** The history, oldest first; only {@code channel}'s entries unless it is null. */
    public StoreResult<List<HistoryEntry>> history(String channel) {
        return list(keys.history(), HistoryEntry.class)
                .map(all -> channel == null ? all : all.stream().filter(h -> channel.equals(h.channel())).toList());
    }

    // ---- nodes -------------------------------------------------------------------------------------------------

    /**
     * Writes {@code status} as {@code <p>/nodes/<node>} under this store's lease (granted on first use, kept
     * alive, granted again when it expired, e.g. after etcd was away longer than its TTL), and as
     * {@code <p>/seen/<node>} without a lease, so the fleet view can show a node that is gone.
     *
     * @return the lease id used
     */
    public StoreResult<Long> report(NodeStatus status) {
        long end = end();
        try {
            synchronized (leaseLock) {
                for (int attempt = 0; ; attempt++) {
                    long lease = ensureLease(end);
                    try {
                        await(client.getKVClient().txn()
                                .Then(Op.put(bytes(keys.node(status.node())), json(status),
                                                PutOption.builder().withLeaseId(lease).build()),
                                        Op.put(bytes(keys.seen(status.node())), json(status), PutOption.DEFAULT))
                                .commit(), end);
                        return StoreResult.ok(lease);
                    } catch (Down d) {
                        if (attempt == 0 && d.getMessage().contains("lease not found")) {
                            dropLease(lease);
                            continue;
                        }
                        throw d;
                    }
                }
            }
        } catch (Down d) {
            return StoreResult.unavailable(d.getMessage());
        }
    }

    /** Revokes this store's node lease (the node leaves at once instead of after its TTL). */
    public StoreResult<Boolean> leave() {
        long end = end();
        synchronized (leaseLock) {
            long lease = leaseId;
            if (lease == 0) {
                return StoreResult.ok(false);
            }
            dropLease(lease);
            try {
                await(client.getLeaseClient().revoke(lease), end);
                return StoreResult.ok(true);
            } catch (Down d) {
                return StoreResult.unavailable(d.getMessage());
            }
        }
    }

    /** The live nodes (their lease is present), by name. */
    public StoreResult<List<NodeStatus>> nodes() {
        return list(keys.nodes(), NodeStatus.class);
    }

    /** The last status of every node that ever reported, live or gone, by name. */
    public StoreResult<List<NodeStatus>> seen() {
        return list(keys.seen(), NodeStatus.class);
    }

    // ---- watches -----------------------------------------------------------------------------------------------

    /**
     * Watches {@code channel}'s pointer. The listener first gets the current pointer if its mod revision is above
     * {@code fromRevision} (0: always), then every change. When etcd goes away the watch keeps trying; when it is
     * back (or after a compaction) it re-reads the pointer and goes on, so the latest pointer is never missed.
     * Listener calls are serialised, in order, on this store's event thread (shared by its watches): a listener
     * may call the store (fetch a version) but holds up the store's other watches while it runs. The watch stops
     * with {@link StoreWatch#close()} or when this store is closed.
     */
    public StoreWatch watchChannel(String channel, long fromRevision, ChannelListener listener) {
        KeyWatch w = new KeyWatch(this, keys.channel(channel), false, fromRevision, (key, value, revision) ->
                listener.changed(value == null ? null
                        : ClusterJson.read(value, ChannelPointer.class).withModRevision(revision), revision),
                scheduler, events);
        w.start();
        return w;
    }

    // ---- drafts, actions, results ------------------------------------------------------------------------------

    /** Stores a rejected hand edit under {@code <p>/drafts/<node>/<millis>}. */
    public StoreResult<Draft> putDraft(Draft draft) {
        return put(keys.draft(draft.node(), draft.time()), draft, 0).map(r -> draft);
    }

    /** The drafts of {@code node} (every node's when null), oldest first per node. */
    public StoreResult<List<Draft>> drafts(String node) {
        return list(node == null ? keys.drafts() : keys.drafts(node), Draft.class);
    }

    /** Publishes a runtime action for every node of {@code channel} (expires after {@link #ACTION_TTL}). */
    public StoreResult<FleetAction> putAction(String channel, FleetAction action) {
        return withShortLease(keys.action(channel, action.id()), action).map(r -> action);
    }

    /**
     * Watches the actions of {@code channel}: {@code listener} gets every action put after {@code fromRevision}
     * (including those put while etcd was unreachable from here, read again on reconnect).
     */
    public StoreWatch watchActions(String channel, long fromRevision, Consumer<FleetAction> listener) {
        KeyWatch w = new KeyWatch(this, keys.actions(channel), true, fromRevision, (key, value, revision) -> {
            if (value != null) {
                listener.accept(ClusterJson.read(value, FleetAction.class));
            }
        }, scheduler, events);
        w.start();
        return w;
    }

    /** Stores a node's answer to action {@code id} (expires after {@link #ACTION_TTL}). */
    public StoreResult<ActionResult> putResult(String id, ActionResult result) {
        return withShortLease(keys.result(id, result.node()), result).map(r -> result);
    }

    /** The answers to action {@code id} so far, by node. */
    public StoreResult<List<ActionResult>> results(String id) {
        return list(keys.results(id), ActionResult.class);
    }

    /** The current etcd revision (a cheap liveness probe). */
    public StoreResult<Long> revision() {
        try {
            GetResponse r = await(client.getKVClient().get(bytes(keys.prefix() + "/"),
                    GetOption.builder().withCountOnly(true).withLimit(1).build()), end());
            return StoreResult.ok(r.getHeader().getRevision());
        } catch (Down d) {
            return StoreResult.unavailable(d.getMessage());
        }
    }

    @Override
    public void close() {
        synchronized (leaseLock) {
            if (keepAlive != null) {
                keepAlive.close();
                keepAlive = null;
            }
        }
        scheduler.shutdownNow();
        events.shutdownNow();
        client.close();
    }

    // ---- package-private for KeyWatch ----------------------------------------------------------------------------

    /** The values of a key (or a prefix) and the revision they were read at. */
    record Read(List<KeyValue> kvs, long revision) {}

    StoreResult<Read> readRange(String key, boolean prefix) {
        try {
            GetResponse r = await(client.getKVClient().get(bytes(key), prefix ? prefixed() : GetOption.DEFAULT),
                    end());
            return StoreResult.ok(new Read(r.getKvs(), r.getHeader().getRevision()));
        } catch (Down d) {
            return StoreResult.unavailable(d.getMessage());
        }
    }

    Client client() {
        return client;
    }

    // ---- internals ---------------------------------------------------------------------------------------------

    private long ensureLease(long end) throws Down {
        if (leaseId != 0) {
            return leaseId;
        }
        long id = await(client.getLeaseClient().grant(Math.max(1, leaseTtl.toSeconds())), end).getID();
        leaseId = id;
        keepAlive = client.getLeaseClient().keepAlive(id, new StreamObserver<LeaseKeepAliveResponse>() {
            @Override
            public void onNext(LeaseKeepAliveResponse value) {}

            @Override
            public void onError(Throwable t) {
                dropLease(id);
            }

            @Override
            public void onCompleted() {
                dropLease(id);
            }
        });
        return id;
    }

    private void dropLease(long id) {
        synchronized (leaseLock) {
            if (leaseId == id) {
                leaseId = 0;
                if (keepAlive != null) {
                    CloseableClient k = keepAlive;
                    keepAlive = null;
                    scheduler.execute(k::close);
                }
            }
        }
    }

    private StoreResult<Long> withShortLease(String key, Object value) {
        long end = end();
        try {
            long lease = await(client.getLeaseClient().grant(ACTION_TTL.toSeconds()), end).getID();
            return put(key, value, lease, end);
        } catch (Down d) {
            return StoreResult.unavailable(d.getMessage());
        }
    }

    private StoreResult<Long> put(String key, Object value, long lease) {
        try {
            return put(key, value, lease, end());
        } catch (Down d) {
            return StoreResult.unavailable(d.getMessage());
        }
    }

    private StoreResult<Long> put(String key, Object value, long lease, long end) throws Down {
        PutOption option = lease == 0 ? PutOption.DEFAULT : PutOption.builder().withLeaseId(lease).build();
        return StoreResult.ok(await(client.getKVClient().put(bytes(key), json(value), option), end)
                .getHeader().getRevision());
    }

    private <T> StoreResult<List<T>> list(String prefix, Class<T> type) {
        try {
            GetResponse r = await(client.getKVClient().get(bytes(prefix), prefixed()), end());
            List<T> out = new ArrayList<>();
            for (KeyValue kv : r.getKvs()) {
                out.add(ClusterJson.read(kv.getValue().getBytes(), type));
            }
            return StoreResult.ok(out);
        } catch (Down d) {
            return StoreResult.unavailable(d.getMessage());
        } catch (UncheckedIOException e) {
            return StoreResult.unavailable(e.getMessage());
        }
    }

    private Optional<VersionInfo> readInfo(long n, long end) throws Down {
        GetResponse r = await(client.getKVClient().get(bytes(keys.version(n))), end);
        return r.getKvs().isEmpty() ? Optional.empty()
                : Optional.of(ClusterJson.read(r.getKvs().get(0).getValue().getBytes(), VersionInfo.class));
    }

    private long highestVersion(long end) throws Down {
        GetResponse r = await(client.getKVClient().get(bytes(keys.versions()), GetOption.builder().isPrefix(true)
                .withSortField(GetOption.SortTarget.KEY).withSortOrder(GetOption.SortOrder.DESCEND)
                .withKeysOnly(true).withLimit(1).build()), end);
        if (r.getKvs().isEmpty()) {
            return 0;
        }
        String key = r.getKvs().get(0).getKey().toString(StandardCharsets.UTF_8);
        return Long.parseLong(key.substring(keys.versions().length()));
    }

    private Optional<ChannelPointer> readPointer(String channel, long end) throws Down {
        return pointerOf(await(client.getKVClient().get(bytes(keys.channel(channel))), end));
    }

    private static Optional<ChannelPointer> pointerOf(GetResponse r) {
        return r.getKvs().isEmpty() ? Optional.empty() : Optional.of(pointer(r.getKvs().get(0)));
    }

    private static ChannelPointer pointer(KeyValue kv) {
        return ClusterJson.read(kv.getValue().getBytes(), ChannelPointer.class).withModRevision(kv.getModRevision());
    }

    private static <T> StoreResult<T> conflict(String channel, ChannelPointer current, long expected) {
        String now = current == null ? "does not exist" : "points to version " + current.version()
                + " (revision " + current.modRevision() + ")";
        return new StoreResult.Conflict<>(current, "channel '" + channel + "' moved: it " + now
                + ", expected revision " + expected);
    }

    private long end() {
        Duration budget = contacted || deadline.compareTo(FIRST_CONTACT) >= 0 ? deadline : FIRST_CONTACT;
        return System.nanoTime() + budget.toNanos();
    }

    private <R> R await(CompletableFuture<R> future, long end) throws Down {
        long left = end - System.nanoTime();
        try {
            if (left <= 0) {
                throw new TimeoutException();
            }
            R r = future.get(left, TimeUnit.NANOSECONDS);
            contacted = true;
            return r;
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new Down("etcd unavailable at " + endpointList() + ": no answer within "
                    + (contacted ? deadline : FIRST_CONTACT).toMillis() + " ms");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new Down("etcd unavailable at " + endpointList() + ": " + describe(cause));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            throw new Down("interrupted while waiting for etcd at " + endpointList());
        }
    }

    private static String describe(Throwable t) {
        StringBuilder s = new StringBuilder(Objects.toString(t.getMessage(), t.getClass().getSimpleName()));
        for (Throwable c = t.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            if (c.getMessage() != null && !s.toString().contains(c.getMessage())) {
                s.append(": ").append(c.getMessage());
            }
        }
        return s.toString();
    }

    private String endpointList() {
        return String.join(",", endpoints.stream().map(URI::toString).toList());
    }

    private static GetOption prefixed() {
        return GetOption.builder().isPrefix(true).build();
    }

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    private static ByteSequence json(Object value) {
        return ByteSequence.from(ClusterJson.write(value), StandardCharsets.UTF_8);
    }

    /** etcd did not answer (in time); turned into {@link StoreResult.Unavailable} at the public boundary. */
    private static final class Down extends Exception {
        Down(String message) {
            super(message, null, false, false);
        }
    }

    /** Puts a gRPC deadline on every unary call, so nothing waits for an unreachable etcd in the background. */
    private record UnaryDeadline(Duration deadline) implements ClientInterceptor {
        @Override
        public <Q, A> ClientCall<Q, A> interceptCall(MethodDescriptor<Q, A> method, CallOptions options,
                Channel next) {
            CallOptions o = method.getType() == MethodDescriptor.MethodType.UNARY
                    ? options.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS) : options;
            return next.newCall(method, o);
        }
    }
}
