package io.flagman.control;

import static io.flagman.control.ApiFixture.CFG;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flagman.control.api.ApiResponse;
import io.flagman.control.api.Router;
import io.flagman.control.service.CommitGate;
import io.flagman.control.service.CommitResult;
import io.flagman.control.service.ConfigService.Snapshot;
import io.flagman.control.service.HandEditPolicy;
import io.flagman.control.store.VersionLine;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The hooks a cluster node plugs into: commit gate, external versions, hand-edit policy, extra routes. */
@Timeout(60)
class CommitHooksTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** One question the gate was asked. */
    record Asked(long current, String nextText, String author, String message) {}

    /** A gate that records what it is asked and answers {@code decision}. */
    static final class RecordingGate implements CommitGate {
        final List<Asked> asked = new CopyOnWriteArrayList<>();
        volatile Decision decision;

        RecordingGate(Decision decision) {
            this.decision = decision;
        }

        @Override
        public Decision admit(Snapshot current, String nextText, String author, String message) {
            asked.add(new Asked(current.version(), nextText, author, message));
            return decision;
        }
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    @Test
    void aRefusingGateLeavesFileVersionAndRunningConfigurationAndTheApiAnswersItsStatus() throws Exception {
        RecordingGate gate = new RecordingGate(new CommitGate.Refuse(409, "this node takes no direct writes"));
        try (ApiFixture api = new ApiFixture(dir)) {
            api.options = api.options.withGate(gate);
            api.start();
            String before = api.file();
            int applied = api.applier.applied.size();

            HttpResponse<String> r = api.send("POST", CFG + "/backends?version=1", "{\"name\":\"refused\"}");
            assertThat(r.statusCode()).isEqualTo(409);
            assertThat(json(r).get("code").asInt()).isEqualTo(409);
            assertThat(json(r).get("message").asText()).isEqualTo("this node takes no direct writes");
            assertThat(api.file()).isEqualTo(before);
            assertThat(api.version()).isEqualTo(1);
            assertThat(api.get(CFG + "/backends/refused").statusCode()).isEqualTo(404);
            // applied, then rolled back to the configuration in force
            assertThat(api.applier.applied).hasSize(applied + 2);
            assertThat(api.applier.applied.get(applied).backend("refused")).isPresent();
            assertThat(api.applier.applied.getLast().backend("refused")).isEmpty();
            assertThat(gate.asked).singleElement().satisfies(a -> {
                assertThat(a.current()).isEqualTo(1);
                assertThat(a.author()).isEqualTo("admin");
                assertThat(a.message()).isNull();
                assertThat(a.nextText()).contains("backend refused");
            });

            gate.decision = new CommitGate.Refuse(503, "the cluster store is unreachable: nothing was changed");
            HttpResponse<String> raw = api.send("POST", CFG + "/raw?version=1",
                    before + "\nbackend other\n  mode http\n", "text/plain", true);
            assertThat(raw.statusCode()).isEqualTo(503);
            assertThat(json(raw).get("message").asText())
                    .isEqualTo("the cluster store is unreachable: nothing was changed");
            assertThat(api.file()).isEqualTo(before);
            assertThat(api.version()).isEqualTo(1);

            // a refused transaction commit stays in progress: it can be committed once the gate admits
            String id = json(api.send("POST", "/v3/services/haproxy/transactions?version=1", null)).get("id")
                    .asText();
            assertThat(api.send("POST", CFG + "/backends?transaction_id=" + id, "{\"name\":\"staged\"}")
                    .statusCode()).isEqualTo(202);
            assertThat(api.send("PUT", "/v3/services/haproxy/transactions/" + id, null).statusCode())
                    .isEqualTo(503);
            assertThat(json(api.get("/v3/services/haproxy/transactions/" + id)).get("status").asText())
                    .isEqualTo("in_progress");
            assertThat(api.file()).isEqualTo(before);
            gate.decision = new CommitGate.Admit(2);
            assertThat(api.send("PUT", "/v3/services/haproxy/transactions/" + id, null).statusCode())
                    .isEqualTo(202);
            assertThat(api.version()).isEqualTo(2);
            assertThat(api.file()).contains("backend staged");
        }
    }

    @Test
    void anAdmittingGateChoosesTheVersionAndSeesTheAuthorAndTheMessage() throws Exception {
        RecordingGate gate = new RecordingGate(new CommitGate.Admit(42));
        try (ApiFixture api = new ApiFixture(dir)) {
            api.options = api.options.withGate(gate);
            api.start();
            HttpResponse<String> r = api.http.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(api.base + CFG + "/backends?version=1"))
                    .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                            "admin:adminpass".getBytes()))
                    .header("Content-Type", "application/json")
                    .header("X-Flagman-Message", "add the api backend")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"name\":\"api\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(202);
            assertThat(r.headers().firstValue("Configuration-Version")).hasValue("42");
            assertThat(api.version()).isEqualTo(42);
            assertThat(api.file()).startsWith("# _version=42\n").contains("backend api");
            assertThat(gate.asked).singleElement().satisfies(a -> {
                assertThat(a.author()).isEqualTo("admin");
                assertThat(a.message()).isEqualTo("add the api backend");
                assertThat(VersionLine.read(a.nextText())).isEqualTo(2);
            });
            // the next write is made against the admitted version
            gate.decision = new CommitGate.Admit(50);
            assertThat(api.send("POST", CFG + "/backends?version=42", "{\"name\":\"next\"}").statusCode())
                    .isEqualTo(202);
            assertThat(api.version()).isEqualTo(50);
            assertThat(gate.asked).hasSize(2);
        }
    }

    @Test
    void aHandEditPassesTheGateWithTheDefaultPolicy() throws Exception {
        RecordingGate gate = new RecordingGate(new CommitGate.Refuse(409, "no"));
        try (ApiFixture api = new ApiFixture(dir)) {
            api.options = api.options.withGate(gate);
            api.start();
            Files.writeString(api.config, api.file().replace("\nbackend fallback-backend",
                    "\nbackend edited\n  mode http\n\nbackend fallback-backend"));
            assertThat(api.plane.poll()).isFalse();
            assertThat(api.version()).isEqualTo(1);
            assertThat(api.applier.applied.getLast().backend("edited")).isEmpty();
            assertThat(gate.asked).singleElement().satisfies(a -> assertThat(a.author()).isEqualTo("hand-edit"));
            api.plane.poll();
            assertThat(gate.asked).hasSize(1); // a refused content is not retried
        }
    }

    @Test
    void aHandedOverEditChangesNothingIsOfferedOnceAndApplyExternalPutsTheFileBack() throws Exception {
        List<String> handed = new CopyOnWriteArrayList<>();
        RecordingGate gate = new RecordingGate(new CommitGate.Admit(2));
        try (ApiFixture api = new ApiFixture(dir)) {
            api.options = api.options.withGate(gate).withHandEdits((current, text) -> {
                handed.add(text);
                return HandEditPolicy.Outcome.HANDED_OVER;
            });
            api.start();
            String before = api.plane.service().current().text();
            int applied = api.applier.applied.size();
            String edited = before.replace("\nbackend fallback-backend", "\nbackend edited\n  mode http\n\n"
                    + "backend fallback-backend");
            Files.writeString(api.config, edited);
            assertThat(api.plane.poll()).isFalse();
            assertThat(api.plane.poll()).isFalse();
            assertThat(handed).containsExactly(edited);
            assertThat(gate.asked).isEmpty();
            assertThat(api.version()).isEqualTo(1);
            assertThat(api.applier.applied).hasSize(applied);

            CommitResult restored = api.plane.service().applyExternal(api.plane.service().current().text(), 1);
            assertThat(restored).isInstanceOf(CommitResult.Committed.class);
            assertThat(api.file()).isEqualTo(before);
            assertThat(api.applier.applied).hasSize(applied); // same version, same text: nothing re-applied
            assertThat(api.plane.poll()).isFalse();
            assertThat(handed).hasSize(1);
        }
    }

    @Test
    void aPolicyMayPutTheFileBackBeforeItReturns() throws Exception {
        try (ApiFixture api = new ApiFixture(dir)) {
            ControlPlane[] plane = new ControlPlane[1];
            api.options = api.options.withHandEdits((current, text) -> {
                plane[0].service().applyExternal(current.text(), current.version());
                return HandEditPolicy.Outcome.HANDED_OVER;
            });
            api.start();
            plane[0] = api.plane;
            String served = api.plane.service().current().text();
            Files.writeString(api.config, served.replace("maxconn 256", "maxconn 999"));
            assertThat(api.plane.poll()).isFalse();
            assertThat(api.file()).isEqualTo(served);
        }
    }

    @Test
    void applyExternalSkipsTheGateAndAnInvalidOrUnappliableVersionKeepsTheOld() throws Exception {
        RecordingGate gate = new RecordingGate(new CommitGate.Refuse(409, "no direct writes"));
        try (ApiFixture api = new ApiFixture(dir)) {
            api.options = api.options.withGate(gate);
            api.start();
            String channelText = VersionLine.strip(api.file()).replace("\nbackend fallback-backend",
                    "\nbackend from-channel\n  mode http\n\nbackend fallback-backend");
            CommitResult r = api.plane.service().applyExternal(channelText, 7);
            assertThat(r).isInstanceOfSatisfying(CommitResult.Committed.class,
                    c -> assertThat(c.version()).isEqualTo(7));
            assertThat(api.version()).isEqualTo(7);
            assertThat(api.file()).isEqualTo("# _version=7\n" + channelText);
            assertThat(api.applier.applied.getLast().backend("from-channel")).isPresent();
            assertThat(gate.asked).isEmpty();

            String before = api.file();
            int applied = api.applier.applied.size();
            CommitResult invalid = api.plane.service().applyExternal("frontend broken\n  bind\n", 8);
            assertThat(invalid).isInstanceOf(CommitResult.Invalid.class);
            assertThat(api.file()).isEqualTo(before);
            assertThat(api.version()).isEqualTo(7);
            assertThat(api.applier.applied).hasSize(applied);

            api.applier.failWith = "cannot bind 127.0.0.1:18080: address already in use";
            CommitResult failed = api.plane.service().applyExternal(channelText.replace("from-channel", "v9"), 9);
            assertThat(failed).isEqualTo(new CommitResult.ApplyFailed(
                    "cannot bind 127.0.0.1:18080: address already in use"));
            assertThat(api.file()).isEqualTo(before);
            assertThat(api.version()).isEqualTo(7);
            assertThat(api.get(CFG + "/backends/v9").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void extraRoutesAreServedBehindTheSameAuthenticationAndSeeTheUser() throws Exception {
        try (ApiFixture api = new ApiFixture(dir)) {
            api.options = api.options.withRoutes(router -> router.add("GET", "/v3/fleet/whoami", Router.Body.NONE,
                    c -> ApiResponse.text(200, c.user())));
            api.start();
            HttpResponse<String> r = api.get("/v3/fleet/whoami");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("admin");
            assertThat(api.send("GET", "/v3/fleet/whoami", null, null, false).statusCode()).isEqualTo(401);
        }
    }
}
