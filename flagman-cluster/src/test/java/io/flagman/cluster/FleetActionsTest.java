package io.flagman.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.flagman.control.RuntimeServers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fleet actions through a real etcd: posted once, executed by every live node of the channel on its own runtime,
 * answered, awaited. The runtimes are in-memory stand-ins for the data plane (this module cannot run one);
 * flagman-app's FleetActionsIT runs two real nodes.
 */
@Timeout(60)
class FleetActionsTest {
    private static EtcdProcess etcd;

    @BeforeAll
    static void startEtcd() {
        etcd = EtcdProcess.single();
    }

    @AfterAll
    static void stopEtcd() {
        etcd.close();
    }

    /** One backend {@code app} with servers {@code web1}, {@code web2}; admin state only. */
    static final class Runtime implements RuntimeServers {
        final Map<String, AdminState> states = new ConcurrentHashMap<>(Map.of("web1", AdminState.READY, "web2",
                AdminState.READY));

        @Override
        public List<State> servers(String backend) {
            return backend.equals("app") ? states.keySet().stream().sorted().map(n -> state(n)).toList() : List.of();
        }

        private State state(String n) {
            return new State("app", n, 1, 1, "127.0.0.1", 80, states.get(n), "up", 1, 1, 0, 0, 0);
        }

        @Override
        public Optional<State> server(String backend, String name) {
            return backend.equals("app") && states.containsKey(name) ? Optional.of(state(name)) : Optional.empty();
        }

        @Override
        public boolean setAdminState(String backend, String name, AdminState state) {
            return backend.equals("app") && states.replace(name, state) != null;
        }

        @Override
        public boolean setHealth(String backend, String name, String state) {
            throw new UnsupportedOperationException("not a fleet action");
        }

        @Override
        public boolean setWeight(String backend, String name, int weight) {
            throw new UnsupportedOperationException("not a fleet action");
        }

        @Override
        public boolean setAddress(String backend, String name, String address, int port) {
            throw new UnsupportedOperationException("not a fleet action");
        }
    }

    private static NodeStatus status(String node, String channel) {
        Instant now = Instant.now();
        return new NodeStatus(node, channel, 1, "x", NodeStatus.OK, null, Health.none(), "test", now, now, null);
    }

    @Test
    void everyLiveNodeOfTheChannelExecutesTheActionOnceAndAnswers() {
        String prefix = "/test/actions";
        try (EtcdStore client = etcd.store(prefix);
                EtcdStore n1 = etcd.store(prefix);
                EtcdStore n2 = etcd.store(prefix);
                EtcdStore n3 = etcd.store(prefix)) {
            Runtime r1 = new Runtime();
            Runtime r2 = new Runtime();
            Runtime r3 = new Runtime();
            assertThat(n1.report(status("prod-1", "production")).isOk()).isTrue();
            assertThat(n2.report(status("prod-2", "production")).isOk()).isTrue();
            assertThat(n3.report(status("stage-1", "staging")).isOk()).isTrue();
            try (ActionRunner a1 = ActionRunner.start(n1, "prod-1", "production", r1, Clock.systemUTC());
                    ActionRunner a2 = ActionRunner.start(n2, "prod-2", "production", r2, Clock.systemUTC());
                    ActionRunner a3 = ActionRunner.start(n3, "stage-1", "staging", r3, Clock.systemUTC())) {
                FleetActions actions = new FleetActions(client, Clock.systemUTC());
                FleetActions.Outcome o = actions.run("production", "set server app/web1 state drain", "alice",
                        Duration.ofSeconds(10));
                FleetActions.Report report = ((FleetActions.Outcome.Done) o).report();
                assertThat(report.ok()).as(report.toString()).isTrue();
                assertThat(report.nodes()).containsExactly("prod-1", "prod-2");
                assertThat(report.results()).extracting(ActionResult::node, ActionResult::output).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("prod-1", "app/web1 state drain (was ready)"),
                        org.assertj.core.groups.Tuple.tuple("prod-2", "app/web1 state drain (was ready)"));
                assertThat(r1.states.get("web1")).isEqualTo(RuntimeServers.AdminState.DRAIN);
                assertThat(r2.states.get("web1")).isEqualTo(RuntimeServers.AdminState.DRAIN);
                assertThat(r3.states.get("web1")).as("another channel").isEqualTo(RuntimeServers.AdminState.READY);

                FleetActions.Report unknown = ((FleetActions.Outcome.Done) actions.run("production",
                        "set server app/nope state maint", "alice", Duration.ofSeconds(10))).report();
                assertThat(unknown.ok()).isFalse();
                assertThat(unknown.missing()).isEmpty();
                assertThat(unknown.results()).allSatisfy(r -> {
                    assertThat(r.ok()).isFalse();
                    assertThat(r.output()).isEqualTo("No such server app/nope on this node.");
                });
            }
            // a node whose runner stopped is still live (its lease): it is reported missing at the deadline
            try (ActionRunner a1 = ActionRunner.start(n1, "prod-1", "production", r1, Clock.systemUTC())) {
                FleetActions.Report partial = ((FleetActions.Outcome.Done) new FleetActions(client,
                        Clock.systemUTC()).run("production", "set server app/web2 state maint", "bob",
                        Duration.ofSeconds(2))).report();
                assertThat(partial.ok()).isFalse();
                assertThat(partial.missing()).containsExactly("prod-2");
                assertThat(r1.states.get("web2")).isEqualTo(RuntimeServers.AdminState.MAINT);
            }
        }
    }

    @Test
    void aCommandThatIsNotAFleetActionOrAChannelWithoutNodesIsRefusedWithoutPosting() {
        try (EtcdStore client = etcd.store("/test/actions-refused")) {
            FleetActions actions = new FleetActions(client, Clock.systemUTC());
            assertThat(actions.run("production", "set server app/web1 weight 10", "a", Duration.ofSeconds(1)))
                    .isEqualTo(new FleetActions.Outcome.Invalid("set server app/web1: only 'state ready|drain|maint'"
                            + " is fanned out across the fleet, not 'weight' (weight, addr, health… stay per node:"
                            + " use that node's runtime API)"));
            assertThat(actions.run("production", "set server app/web1 state up", "a", Duration.ofSeconds(1)))
                    .isEqualTo(new FleetActions.Outcome.Invalid("set server app/web1 state 'up': expected ready,"
                            + " drain or maint"));
            assertThat(actions.run("production", "show servers state", "a", Duration.ofSeconds(1)))
                    .isEqualTo(new FleetActions.Outcome.Invalid("'show servers state': a fleet action is 'set server"
                            + " BACKEND/SERVER state ready|drain|maint'"));
            assertThat(actions.run("nowhere", "set server app/web1 state drain", "a", Duration.ofSeconds(1)))
                    .isEqualTo(new FleetActions.Outcome.Refused("no live node follows channel 'nowhere'"));
        }
    }
}
