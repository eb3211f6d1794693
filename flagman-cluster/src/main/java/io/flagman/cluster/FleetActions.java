package io.flagman.cluster;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Runtime actions across a channel ({@code flagman fleet set-server}, {@code POST /v3/fleet/actions}): posts one
 * {@link FleetAction} under {@code <p>/actions/<channel>/}, which every live node of the channel executes on its
 * own runtime ({@link ActionRunner}) and answers under {@code <p>/results/<id>/<node>}; then waits, up to a
 * deadline, for the answer of every node that was live when the action was posted. Runtime state stays node-local
 * as in HAProxy: this only fans the command out.
 */
public final class FleetActions {

    /** How long {@link #run} waits for the nodes' answers unless told. */
    public static final Duration DEFAULT_WAIT = Duration.ofSeconds(10);
    private static final Duration POLL = Duration.ofMillis(50);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final EtcdStore store;
    private final Clock clock;

    public FleetActions(EtcdStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * What an action came to.
     *
     * @param nodes the channel's live nodes when it was posted (the ones whose answer was awaited)
     * @param results their answers, by node name
     * @param missing the nodes that did not answer before the deadline
     */
    public record Report(FleetAction action, String channel, List<String> nodes, List<ActionResult> results,
            List<String> missing) {
        public Report {
            nodes = List.copyOf(nodes);
            results = List.copyOf(results);
            missing = List.copyOf(missing);
        }

        /** Every awaited node answered, and every answer is a success. */
        public boolean ok() {
            return missing.isEmpty() && !nodes.isEmpty() && results.stream().allMatch(ActionResult::ok);
        }
    }

    /**
     * The outcome of {@link #run}: a report; invalid (the command is not one a fleet action carries); refused (the
     * channel has no live node); or etcd unavailable. Nothing is posted unless it is a report.
     */
    public sealed interface Outcome {
        record Done(Report report) implements Outcome {}

        record Invalid(String message) implements Outcome {}

        record Refused(String message) implements Outcome {}

        record Unavailable(String message) implements Outcome {}
    }

    /**
     * Posts {@code command} (Runtime API text, {@code set server B/S state drain}) for every live node of
     * {@code channel} and waits up to {@code wait} for their answers.
     */
    public Outcome run(String channel, String command, String by, Duration wait) {
        ServerCommand parsed = ServerCommand.parse(command);
        if (parsed instanceof ServerCommand.Refused r) {
            return new Outcome.Invalid(r.message());
        }
        ServerCommand.SetState set = (ServerCommand.SetState) parsed;
        StoreResult<List<NodeStatus>> live = store.nodes();
        if (!live.isOk()) {
            return new Outcome.Unavailable(live.message());
        }
        List<String> nodes = live.value().stream().filter(n -> channel.equals(n.channel())).map(NodeStatus::node)
                .sorted().toList();
        if (nodes.isEmpty()) {
            return new Outcome.Refused("no live node follows channel '" + channel + "'");
        }
        Instant now = clock.instant();
        FleetAction action = new FleetAction(id(now), set.text(), List.of(), by, now);
        StoreResult<FleetAction> put = store.putAction(channel, action);
        if (!put.isOk()) {
            return new Outcome.Unavailable(put.message());
        }
        long deadline = System.nanoTime() + wait.toNanos();
        Map<String, ActionResult> answers = new TreeMap<>();
        while (true) {
            StoreResult<List<ActionResult>> got = store.results(action.id());
            if (got.isOk()) {
                for (ActionResult r : got.value()) {
                    if (nodes.contains(r.node())) {
                        answers.put(r.node(), r);
                    }
                }
            }
            if (answers.size() == nodes.size() || System.nanoTime() >= deadline) {
                break;
            }
            sleep();
        }
        List<String> missing = nodes.stream().filter(n -> !answers.containsKey(n)).collect(Collectors.toList());
        return new Outcome.Done(new Report(action, channel, nodes, new ArrayList<>(answers.values()), missing));
    }

    /** One line per awaited node: {@code prod-1: ok: app/web1 state drain (was ready)}, then what is missing. */
    public static String summary(Report r) {
        StringBuilder s = new StringBuilder();
        for (ActionResult a : r.results()) {
            s.append(a.node()).append(a.ok() ? ": ok: " : ": failed: ").append(a.output()).append('\n');
        }
        for (String m : r.missing()) {
            s.append(m).append(": no answer before the deadline (the node may be busy or cut off from etcd; its"
                    + " runtime state is unknown)\n");
        }
        return s.toString().strip();
    }

    /** Sortable and unique: {@code <millis>-<random hex>}. */
    static String id(Instant now) {
        return String.format("%019d-%08x", now.toEpochMilli(), RANDOM.nextInt());
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the nodes' answers", e);
        }
    }
}
