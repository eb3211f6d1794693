package io.flagman.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The fleet operations over an {@link EtcdStore}: promote (with canary, continue, commit-confirmed), rollback,
 * history, diff, the fleet view and runtime actions fanned out to a channel's nodes. Every channel move is a compare-and-set with its history entry in the same
 * transaction, so two concurrent moves never both win. Needs no node running.
 */
public final class Fleet {

    private final EtcdStore store;
    private final Runnable beforeMove;

    /** Operations over {@code store}. */
    public Fleet(EtcdStore store) {
        this(store, () -> {});
    }

    /** For tests: {@code beforeMove} runs after every read and check, right before the compare-and-set. */
    Fleet(EtcdStore store, Runnable beforeMove) {
        this.store = store;
        this.beforeMove = beforeMove;
    }

    /** The store this fleet works on. */
    public EtcdStore store() {
        return store;
    }

    /**
     * Moves {@code req.to()} to a version of {@code req.from()} (its current one unless given). Refused unless
     * every live node of the source channel reports that version with state ok and no error ({@code force}
     * overrides; the history entry then says {@code forced}); refused with the winner's version when the target
     * moved meanwhile. With a canary only the canary nodes move ({@link #continuePromotion} moves the rest).
     */
    public FleetResult<PromoteOutcome> promote(PromoteRequest req) {
        if (req.from().equals(req.to())) {
            return new FleetResult.Invalid<>("cannot promote channel '" + req.to() + "' to itself");
        }
        StoreResult<Optional<ChannelPointer>> src = store.channel(req.from());
        if (!src.isOk()) {
            return FleetResult.of(src);
        }
        if (src.value().isEmpty()) {
            return new FleetResult.Invalid<>("no channel '" + req.from() + "' in etcd under " + store.prefix());
        }
        long version = req.version() > 0 ? req.version() : src.value().get().version();
        StoreResult<Optional<VersionInfo>> info = store.versionInfo(version);
        if (!info.isOk()) {
            return FleetResult.of(info);
        }
        if (info.value().isEmpty()) {
            return new FleetResult.Invalid<>("no version " + version + " in etcd under " + store.prefix());
        }
        StoreResult<List<NodeStatus>> live = store.nodes();
        if (!live.isOk()) {
            return FleetResult.of(live);
        }
        String notReady = notReady(req.from(), version, live.value());
        if (notReady != null && !req.force()) {
            return new FleetResult.Refused<>("refused: " + notReady + "; use --force to promote anyway", null);
        }
        StoreResult<Optional<ChannelPointer>> dst = store.channel(req.to());
        if (!dst.isOk()) {
            return FleetResult.of(dst);
        }
        ChannelPointer target = dst.value().orElse(null);
        long current = target == null ? 0 : target.version();
        long expected = target == null ? 0 : target.modRevision();
        Instant now = Instant.now();

        Canary canary = null;
        if (req.canary() != null) {
            if (target == null) {
                return new FleetResult.Invalid<>("channel '" + req.to() + "' has no version yet: promote without"
                        + " --canary first");
            }
            FleetResult<List<String>> nodes = canaryNodes(req.to(), req.canary(), live.value());
            if (!(nodes instanceof FleetResult.Done<List<String>> d)) {
                return new FleetResult.Invalid<>(nodes.message());
            }
            canary = new Canary(version, d.value());
        }
        Confirm confirm = null;
        if (req.confirm() != null) {
            if (target == null) {
                return new FleetResult.Invalid<>("channel '" + req.to() + "' has no version to go back to:"
                        + " promote without --confirm first");
            }
            if (req.confirm().isNegative() || req.confirm().isZero()) {
                return new FleetResult.Invalid<>("--confirm must be a positive duration");
            }
            confirm = new Confirm(now.plus(req.confirm()), current, req.maxHttp5xxRate());
        }
        if (canary == null && confirm == null && target != null && target.canary() == null && current == version) {
            return new FleetResult.Done<>(new PromoteOutcome(target, null), "channel '" + req.to()
                    + "' already serves version " + version + "; nothing to do");
        }
        ChannelPointer next = canary != null
                ? new ChannelPointer(req.to(), current, target.previous(), canary, confirm, now, req.by(), 0)
                : new ChannelPointer(req.to(), version, current, null, confirm, now, req.by(), 0);
        String action = canary != null ? "canary" : "promote";
        String reason = "from " + req.from()
                + (canary != null ? " to canary nodes " + String.join(", ", canary.nodes()) : "")
                + (confirm != null ? ", confirm within " + human(req.confirm()) : "");
        boolean forced = notReady != null;
        if (forced) {
            reason = "forced: " + notReady;
        }
        HistoryEntry entry = new HistoryEntry(now, req.to(), current, version, action, req.by(), reason, forced);
        beforeMove.run();
        StoreResult<ChannelPointer> moved = store.move(next, expected, entry);
        return switch (moved) {
            case StoreResult.Ok<ChannelPointer> ok -> new FleetResult.Done<>(new PromoteOutcome(ok.value(), entry),
                    canary != null
                            ? "canary: version " + version + " on " + String.join(", ", canary.nodes()) + " of "
                                    + req.to() + " (the others stay on " + current + "); `flagman promote --continue"
                                    + " --to " + req.to() + "` moves them"
                            : "promoted version " + version + " from " + req.from() + " to " + req.to()
                                    + (current == 0 ? "" : " (was " + current + ")")
                                    + (forced ? " — forced" : ""));
            case StoreResult.Conflict<ChannelPointer> c -> movedMeanwhile(req.to(), c.current());
            case StoreResult.Unavailable<ChannelPointer> u -> new FleetResult.Unavailable<>(u.message());
        };
    }

    /** Moves every node of {@code channel} to its canary's version and clears the canary. */
    public FleetResult<PromoteOutcome> continuePromotion(String channel, String by) {
        StoreResult<Optional<ChannelPointer>> read = store.channel(channel);
        if (!read.isOk()) {
            return FleetResult.of(read);
        }
        ChannelPointer p = read.value().orElse(null);
        if (p == null) {
            return new FleetResult.Invalid<>("no channel '" + channel + "' in etcd under " + store.prefix());
        }
        if (p.canary() == null) {
            return new FleetResult.Refused<>("refused: channel '" + channel + "' has no canary to continue (it"
                    + " serves version " + p.version() + " everywhere)", p);
        }
        Instant now = Instant.now();
        long v = p.canary().version();
        ChannelPointer next = new ChannelPointer(channel, v, p.version(), null, p.confirm(), now, by, 0);
        HistoryEntry entry = new HistoryEntry(now, channel, p.version(), v, "continue", by,
                "after canary on " + String.join(", ", p.canary().nodes()), false);
        beforeMove.run();
        return moved(store.move(next, p.modRevision(), entry), channel, entry,
                "continued: every node of " + channel + " moves to version " + v + " (was " + p.version() + ")");
    }

    /** Points {@code channel} at an existing earlier (or any) version; a new move, so history only grows. */
    public FleetResult<PromoteOutcome> rollback(String channel, long to, String by) {
        StoreResult<Optional<VersionInfo>> info = store.versionInfo(to);
        if (!info.isOk()) {
            return FleetResult.of(info);
        }
        if (info.value().isEmpty()) {
            return new FleetResult.Invalid<>("no version " + to + " in etcd under " + store.prefix());
        }
        StoreResult<Optional<ChannelPointer>> read = store.channel(channel);
        if (!read.isOk()) {
            return FleetResult.of(read);
        }
        ChannelPointer p = read.value().orElse(null);
        if (p == null) {
            return new FleetResult.Invalid<>("no channel '" + channel + "' in etcd under " + store.prefix());
        }
        Instant now = Instant.now();
        ChannelPointer next = new ChannelPointer(channel, to, p.version(), null, null, now, by, 0);
        HistoryEntry entry = new HistoryEntry(now, channel, p.version(), to, "rollback", by,
                "rollback to version " + to, false);
        beforeMove.run();
        return moved(store.move(next, p.modRevision(), entry), channel, entry,
                "rolled back " + channel + " to version " + to + " (was " + p.version() + ")");
    }

    /** The history, oldest first; {@code channel}'s only unless null. */
    public FleetResult<List<HistoryEntry>> history(String channel) {
        StoreResult<List<HistoryEntry>> h = store.history(channel);
        return h.isOk() ? new FleetResult.Done<>(h.value(), h.value().size() + " entries") : FleetResult.of(h);
    }

    /** The unified diff from version {@code n}'s text to version {@code m}'s (empty when equal). */
    public FleetResult<String> diff(long n, long m) {
        StoreResult<Optional<ConfigVersion>> a = store.version(n);
        if (!a.isOk()) {
            return FleetResult.of(a);
        }
        StoreResult<Optional<ConfigVersion>> b = store.version(m);
        if (!b.isOk()) {
            return FleetResult.of(b);
        }
        for (var v : List.of(Map.entry(n, a.value()), Map.entry(m, b.value()))) {
            if (v.getValue().isEmpty()) {
                return new FleetResult.Invalid<>("no version " + v.getKey() + " in etcd under " + store.prefix());
            }
        }
        String d = TextDiff.unified("version " + n, a.value().get().text(), "version " + m, b.value().get().text());
        return new FleetResult.Done<>(d, d.isEmpty() ? "versions " + n + " and " + m + " are the same" : "");
    }

    /** Every channel and every node, live or gone, with its lag and drift. */
    public FleetResult<FleetView> fleetView() {
        StoreResult<List<ChannelPointer>> channels = store.channels();
        if (!channels.isOk()) {
            return FleetResult.of(channels);
        }
        StoreResult<List<NodeStatus>> live = store.nodes();
        if (!live.isOk()) {
            return FleetResult.of(live);
        }
        StoreResult<List<NodeStatus>> seen = store.seen();
        if (!seen.isOk()) {
            return FleetResult.of(seen);
        }
        Map<String, ChannelPointer> byName = channels.value().stream()
                .collect(Collectors.toMap(ChannelPointer::channel, p -> p, (x, y) -> x, LinkedHashMap::new));
        Map<String, NodeStatus> liveByName = new HashMap<>();
        live.value().forEach(s -> liveByName.put(s.node(), s));
        Map<String, NodeStatus> all = new HashMap<>();
        seen.value().forEach(s -> all.put(s.node(), s));
        all.putAll(liveByName);
        Map<Long, String> checksums = new HashMap<>();
        List<NodeView> views = new ArrayList<>();
        for (NodeStatus s : all.values()) {
            boolean gone = !liveByName.containsKey(s.node());
            ChannelPointer p = byName.get(s.channel());
            long wanted = p == null ? 0 : p.versionFor(s.node());
            long lag = p == null ? 0 : wanted - s.version();
            String wantedSum = wanted == 0 ? null : checksum(wanted, checksums);
            String ownSum = s.version() == 0 ? null : checksum(s.version(), checksums);
            boolean drifted = NodeStatus.DRIFTED.equals(s.state())
                    || (s.checksum() != null && lag == 0 && wantedSum != null && !wantedSum.equals(s.checksum()))
                    || (s.checksum() != null && ownSum != null && !ownSum.equals(s.checksum()));
            views.add(new NodeView(s.node(), s.channel(), s.version(), wanted, lag, drifted,
                    gone ? "gone" : s.state(), s.health(), s.lastError(), s.heartbeat(), gone, s.api(),
                    s.flagmanVersion()));
        }
        views.sort(Comparator.comparing(NodeView::channel, Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(NodeView::node));
        return new FleetResult.Done<>(new FleetView(List.copyOf(byName.values()), views),
                views.size() + " nodes");
    }

    /**
     * Fans {@code command} ({@code set server B/S state ready|drain|maint}) out to every live node of
     * {@code channel} and collects their answers for up to {@code wait} ({@link FleetActions}). Runtime state stays
     * node-local, as in HAProxy: this only delivers the command. Done when every live node answered ok; refused
     * (with the answers in the message) when one failed or did not answer in time.
     */
    public FleetResult<List<ActionResult>> runAction(String channel, String command, String by, Duration wait) {
        return switch (new FleetActions(store, java.time.Clock.systemUTC()).run(channel, command, by, wait)) {
            case FleetActions.Outcome.Invalid i -> new FleetResult.Invalid<>(i.message());
            case FleetActions.Outcome.Refused r -> new FleetResult.Invalid<>(r.message());
            case FleetActions.Outcome.Unavailable u -> new FleetResult.Unavailable<>(u.message());
            case FleetActions.Outcome.Done d -> {
                FleetActions.Report r = d.report();
                String cmd = r.action().command();
                String summary = r.results().stream().map(a -> a.node() + ": " + (a.ok() ? "ok" : "failed")
                        + (a.output() == null || a.output().isBlank() ? "" : " (" + a.output().strip() + ")"))
                        .collect(Collectors.joining("; "));
                if (!r.ok()) {
                    yield new FleetResult.Refused<>("'" + cmd + "' on channel '" + channel + "': "
                            + (summary.isEmpty() ? "" : summary + (r.missing().isEmpty() ? "" : "; "))
                            + (r.missing().isEmpty() ? "" : "no answer within " + human(wait) + " from "
                                    + String.join(", ", r.missing())), null);
                }
                yield new FleetResult.Done<>(r.results(), "'" + cmd + "' on " + r.nodes().size() + " node"
                        + (r.nodes().size() == 1 ? "" : "s") + " of " + channel + ": " + summary);
            }
        };
    }

    private String checksum(long version, Map<Long, String> cache) {
        return cache.computeIfAbsent(version, v -> {
            StoreResult<Optional<VersionInfo>> r = store.versionInfo(v);
            return r.isOk() ? r.value().map(VersionInfo::checksum).orElse(null) : null;
        });
    }

    /** Why the live nodes of {@code channel} are not all on {@code version} cleanly, or null when they are. */
    static String notReady(String channel, long version, List<NodeStatus> live) {
        List<NodeStatus> nodes = live.stream().filter(s -> channel.equals(s.channel()))
                .sorted(Comparator.comparing(NodeStatus::node)).toList();
        if (nodes.isEmpty()) {
            return "no live node of channel '" + channel + "' reports version " + version
                    + " (none is running, so nothing has tested it)";
        }
        List<String> bad = new ArrayList<>();
        for (NodeStatus s : nodes) {
            boolean clean = s.version() == version && NodeStatus.OK.equals(s.state())
                    && (s.lastError() == null || s.lastError().isEmpty());
            if (!clean) {
                StringBuilder b = new StringBuilder(s.node()).append(" (it runs ").append(s.version());
                if (!NodeStatus.OK.equals(s.state())) {
                    b.append(", state ").append(s.state());
                }
                if (s.lastError() != null && !s.lastError().isEmpty()) {
                    b.append(", error: ").append(s.lastError());
                }
                bad.add(b.append(')').toString());
            }
        }
        if (bad.isEmpty()) {
            return null;
        }
        return bad.size() == 1
                ? "node " + bad.get(0).replaceFirst(" \\(", " has not applied version " + version + " (")
                : bad.size() + " nodes of '" + channel + "' have not applied version " + version + ": "
                        + String.join("; ", bad);
    }

    private static FleetResult<List<String>> canaryNodes(String channel, PromoteRequest.CanarySpec spec,
            List<NodeStatus> live) {
        List<String> names = live.stream().filter(s -> channel.equals(s.channel())).map(NodeStatus::node)
                .sorted().toList();
        if (spec.nodes().isEmpty()) {
            if (spec.count() <= 0) {
                return new FleetResult.Invalid<>("--canary COUNT must be at least 1");
            }
            if (spec.count() > names.size()) {
                return new FleetResult.Invalid<>("--canary " + spec.count() + ": channel '" + channel + "' has "
                        + names.size() + " live node" + (names.size() == 1 ? "" : "s") + " ("
                        + String.join(", ", names) + ")");
            }
            return new FleetResult.Done<>(names.subList(0, spec.count()), "");
        }
        for (String n : spec.nodes()) {
            if (!names.contains(n)) {
                return new FleetResult.Invalid<>("--canary " + n + ": not a live node of channel '" + channel
                        + "' (live: " + (names.isEmpty() ? "none" : String.join(", ", names)) + ")");
            }
        }
        return new FleetResult.Done<>(spec.nodes(), "");
    }

    private FleetResult<PromoteOutcome> moved(StoreResult<ChannelPointer> r, String channel, HistoryEntry entry,
            String message) {
        return switch (r) {
            case StoreResult.Ok<ChannelPointer> ok -> new FleetResult.Done<>(new PromoteOutcome(ok.value(), entry),
                    message);
            case StoreResult.Conflict<ChannelPointer> c -> movedMeanwhile(channel, c.current());
            case StoreResult.Unavailable<ChannelPointer> u -> new FleetResult.Unavailable<>(u.message());
        };
    }

    private static <T> FleetResult<T> movedMeanwhile(String channel, ChannelPointer now) {
        String where = now == null ? "was deleted"
                : "now points to version " + now.version() + " (moved by " + now.movedBy() + " at "
                        + now.movedAt() + ")";
        return new FleetResult.Refused<>("refused: channel '" + channel + "' moved meanwhile: it " + where
                + "; nothing changed, check `flagman history --channel " + channel + "` and run again", now);
    }

    static String human(Duration d) {
        if (d.toMillis() % 1000 != 0) {
            return d.toMillis() + "ms";
        }
        long s = d.toSeconds();
        return s % 60 == 0 && s >= 60 ? s / 60 + "m" : s + "s";
    }
}
