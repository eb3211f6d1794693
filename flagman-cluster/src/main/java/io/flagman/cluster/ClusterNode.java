package io.flagman.cluster;

import io.flagman.control.service.CommitGate;
import io.flagman.control.service.CommitResult;
import io.flagman.control.service.ConfigService;
import io.flagman.control.service.ConfigService.Snapshot;
import io.flagman.control.service.HandEditPolicy;
import io.flagman.control.store.VersionLine;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The node agent: keeps this process on the version its channel points to and tells the fleet what it serves.
 *
 * <ul>
 *   <li>Serving starts from the file before etcd is asked anything (the control plane loads it), so a node
 *       started while etcd is down serves its last good version; it reports {@code stale} once etcd is back, then
 *       catches up.
 *   <li>It watches {@code <p>/channels/<channel>}; for {@link ChannelPointer#versionFor} it fetches the version
 *       and applies it through {@link ConfigService#applyExternal} (validated and applied like every change, then
 *       written to the file atomically), reporting {@code applying} then {@code ok}; a version that does not
 *       validate or apply leaves the node on its last good version, reported as {@code error} with the reason.
 *   <li>{@link #gate()}: a change made through this node's API is published as the next version of a writable
 *       channel (staging) and admitted under that number; on another channel it is refused (409) with the
 *       promote command; with etcd unreachable it is refused (503) and nothing changes.
 *   <li>{@link #handEdits()}: a hand edit of the file is drift: it is kept as a draft in etcd (with its unified
 *       diff), the file is put back to the version served, and the node reports {@code drifted}, then
 *       {@code ok}. A file that claims its channel's version with other content (edited while the node was down)
 *       is drift too.
 *   <li>During a commit-confirmed window on its channel ({@link ConfirmWatch}) it compares its health with its
 *       health before it applied the promoted version and moves the channel back on a regression.
 *   <li>{@link #runActions}: it executes its channel's fleet actions on its runtime ({@link ActionRunner});
 *       {@link #routes()} is the fleet's API ({@code /v3/fleet/...}) to register on its control plane.
 *   <li>Every {@link #heartbeat()} it writes {@code <p>/nodes/<node>} under its lease, with the health from a
 *       {@link NodeHealth} port.
 * </ul>
 *
 * <p>All agent work runs on one thread, in order; the gate runs on the API's thread under the configuration
 * service's lock.
 */
public final class ClusterNode implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("io.flagman.cluster");
    /** How long the agent waits before asking an unreachable etcd again at start-up. */
    static final Duration RETRY = Duration.ofSeconds(1);

    private final ClusterSettings settings;
    private final EtcdStore store;
    private final NodeHealth health;
    private final String flagmanVersion;
    private final Clock clock;
    private final Instant started;
    private final ScheduledExecutorService agent;

    private volatile ConfigService service;
    /** Commit-confirmed on this node (started with the agent). */
    private volatile ConfirmWatch confirm;
    /** This node's share of fleet actions ({@link #runActions}), or null. */
    private volatile ActionRunner actions;
    private volatile String api;
    /** The newest channel pointer seen (watch or own publish). */
    private volatile ChannelPointer pointer;
    /** The version this node's own publish was admitted as: its watch event needs no apply. */
    private volatile long admitted;

    // agent thread only
    private StoreWatch watch;
    private boolean connected;
    private boolean startedStale;
    private boolean reportFailing;
    private boolean reconcilePending;
    private long failedVersion;
    private long failedRevision;
    private final List<Draft> unsentDrafts = new ArrayList<>();

    // what is reported; guarded by this
    private String state = NodeStatus.STALE;
    private String lastError;
    /** The state to return to after a transient one (drifted): ok, or error with its message. */
    private String settledState = NodeStatus.OK;
    private String settledError;

    /**
     * @param settings the endpoints, prefix, this node's name, its channel and the writable channels
     * @param store the fleet's store (this node owns it from now on: {@link #close()} closes it)
     * @param health the data plane's health, for the reports
     * @param flagmanVersion the program's version, for the reports
     * @param clock the time of reports and drafts
     */
    public ClusterNode(ClusterSettings settings, EtcdStore store, NodeHealth health, String flagmanVersion,
            Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        if (settings.node() == null || settings.node().isBlank()) {
            throw new IllegalArgumentException("a cluster node needs a name (--node NAME)");
        }
        if (settings.channel() == null || settings.channel().isBlank()) {
            throw new IllegalArgumentException("a cluster node needs a channel (--channel NAME)");
        }
        this.store = Objects.requireNonNull(store, "store");
        this.health = health == null ? NodeHealth.NONE : health;
        this.flagmanVersion = flagmanVersion;
        this.clock = clock;
        this.started = clock.instant();
        this.agent = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "flagman-cluster-node");
            t.setDaemon(true);
            return t;
        });
    }

    /** The hook that publishes (or refuses) every change made through this node's API or by hand. */
    public CommitGate gate() {
        return this::admit;
    }

    /** The hook that turns a hand edit of the file into drift (draft + file put back). */
    public HandEditPolicy handEdits() {
        return this::handEdit;
    }

    /**
     * The fleet's API ({@code /v3/fleet/...}, {@link FleetRoutes}) over this node's store, for
     * {@code ControlPlane.Options.withRoutes}.
     */
    public java.util.function.Consumer<io.flagman.control.api.Router> routes() {
        return new FleetRoutes(new Fleet(store), new FleetActions(store, clock));
    }

    /**
     * Executes the fleet actions of this node's channel ({@code flagman fleet set-server}) on {@code runtime}, the
     * data plane's runtime servers (the port the Data Plane API's runtime endpoints use). Call once, after
     * {@link #start}.
     */
    public void runActions(io.flagman.control.RuntimeServers runtime) {
        if (actions != null) {
            throw new IllegalStateException("already running the fleet actions");
        }
        actions = ActionRunner.start(store, settings.node(), settings.channel(), runtime, clock);
    }

    /** True when this node's channel takes direct configuration writes. */
    public boolean writable() {
        return settings.writableChannels().contains(settings.channel());
    }

    /**
     * Starts following the channel. Call once the control plane has started (it serves the file already).
     *
     * @param configService the configuration service the node applies versions through
     * @param apiAddress this node's Data Plane API as {@code host:port}, reported to the fleet (null: none)
     */
    public void start(ConfigService configService, String apiAddress) {
        if (this.service != null) {
            throw new IllegalStateException("already started");
        }
        this.service = Objects.requireNonNull(configService, "configService");
        this.api = apiAddress;
        this.confirm = new ConfirmWatch(store, settings.node(), this::readHealth,
                () -> configService.current().version(), clock);
        long every = Math.max(1000, settings.leaseTtl().toMillis() / 3);
        submit(this::connect);
        agent.scheduleWithFixedDelay(() -> run(this::heartbeat), every, every, TimeUnit.MILLISECONDS);
    }

    /** What this node would report now. */
    public NodeStatus status() {
        Snapshot s = service == null ? null : service.current();
        String st;
        String err;
        synchronized (this) {
            st = state;
            err = lastError;
        }
        return new NodeStatus(settings.node(), settings.channel(), s == null ? 0 : s.version(),
                s == null ? null : Blobs.checksum(s.text()), st, err, readHealth(), flagmanVersion, started,
                clock.instant(), api);
    }

    @Override
    public void close() {
        if (actions != null) {
            actions.close();
        }
        if (confirm != null) {
            confirm.close();
        }
        agent.shutdownNow();
        try {
            agent.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (watch != null) {
            watch.close();
        }
        store.leave();
        store.close();
    }

    // ---------------------------------------------------------------- the gate (API thread, service lock held)

    private CommitGate.Decision admit(Snapshot current, String nextText, String author, String message) {
        if (!writable()) {
            return new CommitGate.Refuse(409, noDirectWrites());
        }
        ChannelPointer p = pointer;
        if (p == null) {
            StoreResult<Optional<ChannelPointer>> read = store.channel(settings.channel());
            if (!(read instanceof StoreResult.Ok<Optional<ChannelPointer>> ok)) {
                return new CommitGate.Refuse(503, unreachable());
            }
            p = ok.value().orElse(null);
        }
        if (p != null && p.versionFor(settings.node()) != current.version()) {
            return new CommitGate.Refuse(409, "channel '" + settings.channel() + "' is at version "
                    + p.versionFor(settings.node()) + " and this node still serves version " + current.version()
                    + ": nothing was changed; retry once the node has caught up");
        }
        StoreResult<ChannelPointer> published = store.publish(settings.channel(), p == null ? 0 : p.modRevision(),
                nextText, author, message);
        return switch (published) {
            case StoreResult.Ok<ChannelPointer> ok -> {
                pointer = newest(pointer, ok.value());
                admitted = ok.value().version();
                LOG.log(Level.INFO, "published version " + ok.value().version() + " to channel '"
                        + settings.channel() + "' (by " + author + ")");
                yield new CommitGate.Admit(ok.value().version());
            }
            case StoreResult.Conflict<ChannelPointer> c -> new CommitGate.Refuse(409, "channel '"
                    + settings.channel() + "' moved" + (c.current() == null ? "" : " to version "
                    + c.current().version()) + " while this change was made: nothing was changed; the node"
                    + " catches up, then retry");
            case StoreResult.Unavailable<ChannelPointer> u -> new CommitGate.Refuse(503, unreachable());
        };
    }

    /** The 409 message of a write to a channel that takes none. */
    String noDirectWrites() {
        String staging = new TreeSet<>(settings.writableChannels()).stream().findFirst().orElse("staging");
        return "this node follows channel '" + settings.channel() + "', which takes no direct writes: change "
                + staging + " and run `flagman promote --from " + staging + " --to " + settings.channel() + "`";
    }

    /** The 503 message of a write while etcd cannot be reached. */
    String unreachable() {
        return "the cluster store (etcd at " + String.join(",", settings.endpoints().stream().map(URI::toString)
                .toList()) + ") is unreachable: nothing was changed; retry when it is back";
    }

    // ---------------------------------------------------------------- hand edits

    private HandEditPolicy.Outcome handEdit(Snapshot current, String editedText) {
        submit(() -> revertHandEdit(current, editedText));
        return HandEditPolicy.Outcome.HANDED_OVER;
    }

    /**
     * A hand edit of {@code base}: kept as a draft, reported as drift, the file put back to the version served now
     * (a newer one may have been applied since the edit was seen).
     */
    private void revertHandEdit(Snapshot base, String edited) {
        drifted(base.version(), base.text(), edited, "a hand edit of " + service.store().file());
        Snapshot now = service.current();
        CommitResult restored = service.applyExternal(now.text(), now.version());
        if (!(restored instanceof CommitResult.Committed)) {
            LOG.log(Level.ERROR, "could not put " + service.store().file() + " back to version " + now.version()
                    + ": " + restored.describe());
            return;
        }
        settle();
        report();
    }

    /** Keeps {@code edited} as a draft against version {@code baseVersion} and reports {@code drifted}. */
    private void drifted(long baseVersion, String baseText, String edited, String what) {
        String where = keepDraft(baseVersion, baseText, edited);
        String message = what + " was rejected: this node follows channel '" + settings.channel() + "' (version "
                + baseVersion + "); the edit is kept as " + where + " and the file is put back to version "
                + baseVersion;
        setState(NodeStatus.DRIFTED, message);
        LOG.log(Level.WARNING, message);
        report();
    }

    /** Stores a draft in etcd, or next to the file when etcd is unreachable (sent later); says where it is. */
    private String keepDraft(long baseVersion, String baseText, String edited) {
        Instant now = clock.instant();
        String diff = TextDiff.unified("version " + baseVersion, VersionLine.strip(baseText),
                service.store().file().getFileName() + " (edited)", VersionLine.strip(edited));
        Draft draft = new Draft(settings.node(), now, baseVersion, edited, diff);
        String key = store.prefix() + "/drafts/" + settings.node() + "/" + String.format("%019d", now.toEpochMilli());
        if (store.putDraft(draft).isOk()) {
            return "draft " + key;
        }
        unsentDrafts.add(draft);
        Path local = service.store().file().resolveSibling(service.store().file().getFileName() + ".draft-"
                + now.toEpochMilli());
        try {
            Files.writeString(local, edited, StandardCharsets.UTF_8);
        } catch (IOException e) {
            LOG.log(Level.ERROR, "cannot keep the rejected edit in " + local + ": " + e);
        }
        return local + " (etcd is unreachable; it goes to " + key + " when etcd is back)";
    }

    // ---------------------------------------------------------------- following the channel (agent thread)

    /** First contact: stale if etcd is down (retried), bootstrap of a missing writable channel, then the watch. */
    private void connect() {
        StoreResult<Optional<ChannelPointer>> read = store.channel(settings.channel());
        if (!(read instanceof StoreResult.Ok<Optional<ChannelPointer>> ok)) {
            if (!startedStale) {
                LOG.log(Level.WARNING, "etcd at " + endpoints() + " is unreachable (" + read.message() + "); serving "
                        + service.store().file() + " (version " + service.current().version() + ") until it is back");
            }
            startedStale = true;
            agent.schedule(() -> run(this::connect), RETRY.toMillis(), TimeUnit.MILLISECONDS);
            return;
        }
        connected = true;
        if (startedStale) {
            setState(NodeStatus.STALE, "started while etcd was unreachable; catching up with channel '"
                    + settings.channel() + "'");
            report();
        }
        confirm.pointer(ok.value().orElse(null)); // before any apply: the baseline is what this node serves now
        if (ok.value().isPresent()) {
            pointer = newest(pointer, ok.value().get());
        } else if (writable()) {
            bootstrap();
        } else {
            setState(NodeStatus.STALE, "channel '" + settings.channel() + "' has no version yet: this node"
                    + " serves its file until a version is promoted to it");
            report();
        }
        reconcile();
        ChannelPointer seen = pointer;
        watch = store.watchChannel(settings.channel(), seen == null ? 0 : seen.modRevision(), (p, revision) -> {
            confirm.pointer(p); // before the apply the agent runs next
            if (p != null) {
                pointer = newest(pointer, p);
                submit(this::reconcile);
            }
        });
    }

    /** A writable channel that does not exist yet starts with this node's file as its first version. */
    private void bootstrap() {
        Snapshot s = service.current();
        StoreResult<ChannelPointer> r = store.publish(settings.channel(), 0, s.text(), settings.node(),
                "bootstrap: the file of node " + settings.node());
        switch (r) {
            case StoreResult.Ok<ChannelPointer> ok -> {
                pointer = newest(pointer, ok.value());
                LOG.log(Level.INFO, "channel '" + settings.channel() + "' did not exist: published "
                        + service.store().file() + " as its version " + ok.value().version());
                // the file now carries the channel's version number
                service.applyExternal(s.text(), ok.value().version());
            }
            case StoreResult.Conflict<ChannelPointer> c ->
                LOG.log(Level.INFO, "channel '" + settings.channel() + "' was created meanwhile by another node");
            case StoreResult.Unavailable<ChannelPointer> u ->
                LOG.log(Level.WARNING, "cannot bootstrap channel '" + settings.channel() + "': " + u.message());
        }
    }

    /** Brings the node to the version its channel points to (for this node), or reports why it cannot. */
    private void reconcile() {
        ChannelPointer p = pointer;
        if (p == null || service == null) {
            return;
        }
        reconcilePending = false;
        long target = p.versionFor(settings.node());
        Snapshot served = service.current();
        String servedSum = Blobs.checksum(served.text());
        StoreResult<Optional<VersionInfo>> info = store.versionInfo(target);
        if (!(info instanceof StoreResult.Ok<Optional<VersionInfo>> ok)) {
            reconcilePending = true;
            return;
        }
        if (ok.value().isEmpty()) {
            fail(p, target, "channel '" + settings.channel() + "' points to version " + target
                    + ", which does not exist in etcd");
            return;
        }
        VersionInfo v = ok.value().get();
        if (served.version() == target && servedSum.equals(v.checksum())) {
            service.applyExternal(served.text(), target); // stamps the version line into the file if it lacks it
            settleOk();
            report();
            return;
        }
        if (target == failedVersion && p.modRevision() == failedRevision) {
            return; // this move already failed here; a new move (or a restart) tries again
        }
        if (target != admitted) {
            setState(NodeStatus.APPLYING, null);
            report();
        }
        StoreResult<Optional<ConfigVersion>> fetched = store.version(target);
        if (!(fetched instanceof StoreResult.Ok<Optional<ConfigVersion>> f) || f.value().isEmpty()) {
            reconcilePending = true;
            return;
        }
        String text = f.value().get().text();
        if (served.version() == target) {
            // the file claims the channel's version with other content: edited while this node was not running
            drifted(target, text, served.text(), "the content of " + service.store().file()
                    + " (it differs from version " + target + ")");
        }
        CommitResult r = service.applyExternal(text, target);
        switch (r) {
            case CommitResult.Committed c -> {
                failedVersion = 0;
                if (target != admitted) {
                    LOG.log(Level.INFO, "applied version " + target + " of channel '" + settings.channel() + "'");
                }
                settleOk();
                report();
            }
            default -> fail(p, target, "version " + target + " of channel '" + settings.channel()
                    + "' was not applied, this node stays on version " + service.current().version() + ": "
                    + r.describe());
        }
    }

    private void fail(ChannelPointer p, long target, String message) {
        failedVersion = target;
        failedRevision = p.modRevision();
        LOG.log(Level.ERROR, message);
        synchronized (this) {
            state = settledState = NodeStatus.ERROR;
            lastError = settledError = message;
        }
        report();
    }

    // ---------------------------------------------------------------- reports (agent thread)

    private void heartbeat() {
        boolean ok = report();
        if (!ok) {
            return;
        }
        while (!unsentDrafts.isEmpty() && store.putDraft(unsentDrafts.getFirst()).isOk()) {
            Draft d = unsentDrafts.removeFirst();
            LOG.log(Level.INFO, "sent the draft of " + d.time() + " to etcd");
        }
        if (connected && reconcilePending) {
            reconcile();
        }
    }

    /** Writes this node's status under its lease (once it has been in touch with etcd); true when etcd took it. */
    private boolean report() {
        if (!connected) {
            return false;
        }
        StoreResult<Long> r = store.report(status());
        if (r.isOk()) {
            if (reportFailing) {
                LOG.log(Level.INFO, "etcd at " + endpoints() + " is reachable again");
            }
            reportFailing = false;
            return true;
        }
        if (!reportFailing) {
            LOG.log(Level.WARNING, "cannot report to etcd at " + endpoints() + " (" + r.message() + "); serving version "
                    + service.current().version() + " and retrying");
        }
        reportFailing = true;
        return false;
    }

    private Health readHealth() {
        try {
            return health.read();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "cannot read the node's health: " + e);
            return Health.none();
        }
    }

    // ---------------------------------------------------------------- state

    private synchronized void setState(String s, String error) {
        state = s;
        lastError = error;
    }

    private synchronized void settle() {
        state = settledState;
        lastError = settledError;
    }

    private synchronized void settleOk() {
        state = settledState = NodeStatus.OK;
        lastError = settledError = null;
    }

    private static ChannelPointer newest(ChannelPointer a, ChannelPointer b) {
        return a == null || b.modRevision() >= a.modRevision() ? b : a;
    }

    private String endpoints() {
        return String.join(",", settings.endpoints().stream().map(URI::toString).toList());
    }

    private void submit(Runnable task) {
        try {
            agent.execute(() -> run(task));
        } catch (RejectedExecutionException e) {
            // closing: nothing more to do
        }
    }

    /** Runs one agent task; a bug in it is logged and the agent goes on. */
    private static void run(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "bug in the cluster node agent", e);
        }
    }
}
