package io.flagman.config.edit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flagman.config.model.SendProxy;
import io.flagman.config.model.Server;
import io.flagman.config.parse.DirectiveWriter;
import io.flagman.config.text.ConfigDocument;
import io.flagman.config.text.Words;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConfigEditorTest {

    static String resource(String path) {
        try (InputStream in = ConfigEditorTest.class.getResourceAsStream("/" + path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static ConfigDocument doc(String text) {
        return ConfigDocument.parse("t.cfg", text, n -> null);
    }

    static final Set<String> ACL = Set.of("acl");
    static final Set<String> HTTP_REQUEST = Set.of("http-request");

    // ---- golden edits on the user's real config ----

    @Test
    void addAServerChangesOnlyThatLine() throws EditException {
        ConfigDocument seed = doc(resource("seed/haproxy-lb.cfg"));
        List<String> words = DirectiveWriter.server(new Server("haproxy3", "10.0.0.3", 80, 10, false, false, 0, true,
                Server.DEFAULT_INTER, Server.DEFAULT_RISE, Server.DEFAULT_FALL, SendProxy.NONE, false, null, null, 0, null, 0));
        ConfigDocument out = ConfigEditor.addNamed(seed, "backend", "example-backend", "server", "haproxy3", words);
        assertThat(out.text()).isEqualTo(resource("edit/add-server.expected.cfg"));
    }

    @Test
    void removeAnAclChangesOnlyThatLine() throws EditException {
        ConfigDocument seed = doc(resource("seed/haproxy-lb.cfg"));
        ConfigDocument out = ConfigEditor.removeDirective(seed, "frontend", "https-in", ACL, 0);
        assertThat(out.text()).isEqualTo(resource("edit/remove-acl.expected.cfg"));
    }

    // ---- sections ----

    @Test
    void addAndRemoveSections() throws EditException {
        ConfigDocument d = doc("global\n  maxconn 1\n");
        ConfigDocument added = ConfigEditor.addSection(d, "backend", "b", List.of(List.of("mode", "http")));
        assertThat(added.text()).isEqualTo("global\n  maxconn 1\n\nbackend b\n  mode http\n");
        assertThatThrownBy(() -> ConfigEditor.addSection(added, "backend", "b", List.of()))
                .extracting(e -> ((EditException) e).kind()).isEqualTo(EditException.Kind.ALREADY_EXISTS);
        assertThat(ConfigEditor.removeSection(added, "backend", "b").text()).isEqualTo(d.text());
        assertThatThrownBy(() -> ConfigEditor.removeSection(d, "backend", "x"))
                .extracting(e -> ((EditException) e).kind()).isEqualTo(EditException.Kind.NOT_FOUND);
    }

    @Test
    void replaceSettingsKeepsChildrenCommentsAndUnchangedLines() throws EditException {
        ConfigDocument d = doc("""
                backend b
                    mode   http   # keep my spacing
                    # servers below
                    server s1 10.0.0.1:80
                    balance source
                    timeout server 5s

                frontend f
                """);
        ConfigDocument out = ConfigEditor.replaceSettings(d, "backend", "b", Set.of("server", "acl"),
                List.of(List.of("mode", "http"), List.of("balance", "leastconn"), List.of("retries", "2")));
        assertThat(out.text()).isEqualTo("""
                backend b
                    mode   http   # keep my spacing
                    # servers below
                    server s1 10.0.0.1:80
                    balance leastconn
                    retries 2

                frontend f
                """);
    }

    @Test
    void replaceSettingsOnAnEmptySectionGoesAfterTheHeader() throws EditException {
        ConfigDocument d = doc("backend b\n  server s 1.2.3.4:80\n");
        assertThat(ConfigEditor.replaceSettings(d, "backend", "b", Set.of("server"), List.of(List.of("mode", "tcp")))
                .text()).isEqualTo("backend b\n  mode tcp\n  server s 1.2.3.4:80\n");
    }

    // ---- index-addressed families ----

    static final String RULES = """
            frontend f
              bind :80
              acl a path /a
              acl b path /b
              http-request deny if a
              http-request allow if b
              use_backend x if a
            """;

    @Test
    void insertSemantics() throws EditException {
        ConfigDocument d = doc(RULES);
        assertThat(ConfigEditor.count(d, "frontend", "f", ACL)).isEqualTo(2);
        assertThat(ConfigEditor.insertDirective(d, "frontend", "f", ACL, 0, List.of("acl", "z", "src", "1.2.3.4"))
                .text()).contains("  bind :80\n  acl z src 1.2.3.4\n  acl a path /a\n");
        assertThat(ConfigEditor.insertDirective(d, "frontend", "f", ACL, 2, List.of("acl", "z", "src", "1.2.3.4"))
                .text()).contains("  acl b path /b\n  acl z src 1.2.3.4\n  http-request deny if a\n");
        assertThat(ConfigEditor.insertDirective(d, "frontend", "f", HTTP_REQUEST, 2, List.of("http-request", "deny"))
                .text()).contains("  http-request allow if b\n  http-request deny\n  use_backend x if a\n");
        assertThatThrownBy(() -> ConfigEditor.insertDirective(d, "frontend", "f", ACL, 3, List.of("acl", "z", "src")))
                .extracting(e -> ((EditException) e).kind()).isEqualTo(EditException.Kind.OUT_OF_RANGE);
        assertThatThrownBy(() -> ConfigEditor.insertDirective(d, "frontend", "g", ACL, 0, List.of("acl", "z", "src")))
                .extracting(e -> ((EditException) e).kind()).isEqualTo(EditException.Kind.MISSING_PARENT);
    }

    @Test
    void firstAclGoesBeforeTheFirstRuleThatCouldUseIt() throws EditException {
        ConfigDocument d = doc("frontend f\n  bind :80\n  use_backend x if a\n  default_backend y\n");
        assertThat(ConfigEditor.insertDirective(d, "frontend", "f", ACL, 0, List.of("acl", "a", "path", "/a")).text())
                .isEqualTo("frontend f\n  bind :80\n  acl a path /a\n  use_backend x if a\n  default_backend y\n");
    }

    @Test
    void emptyFamilyAppendsAtTheEndOfTheDirectives() throws EditException {
        ConfigDocument d = doc("backend b\n  server s 1.2.3.4:80\n\n# trailing comment\n");
        assertThat(ConfigEditor.insertDirective(d, "backend", "b", HTTP_REQUEST, 0, List.of("http-request", "deny"))
                .text()).isEqualTo("backend b\n  server s 1.2.3.4:80\n  http-request deny\n\n# trailing comment\n");
    }

    @Test
    void replaceAndRemoveByIndex() throws EditException {
        ConfigDocument d = doc("frontend f\n  acl a path /a # why\n  acl b path /b\n");
        assertThat(ConfigEditor.replaceDirective(d, "frontend", "f", ACL, 0, List.of("acl", "a", "path", "/x")).text())
                .isEqualTo("frontend f\n  acl a path /x # why\n  acl b path /b\n");
        assertThat(ConfigEditor.removeDirective(d, "frontend", "f", ACL, 1).text())
                .isEqualTo("frontend f\n  acl a path /a # why\n");
        assertThatThrownBy(() -> ConfigEditor.removeDirective(d, "frontend", "f", ACL, 2))
                .extracting(e -> ((EditException) e).kind()).isEqualTo(EditException.Kind.NOT_FOUND);
    }

    @Test
    void replaceFamilyTouchesOnlyDifferentLines() throws EditException {
        ConfigDocument d = doc(RULES);
        ConfigDocument out = ConfigEditor.replaceFamily(d, "frontend", "f", ACL,
                List.of(List.of("acl", "a", "path", "/a"), List.of("acl", "c", "path", "/c"),
                        List.of("acl", "d", "path", "/d")));
        assertThat(out.text()).isEqualTo(RULES.replace("  acl b path /b\n", "  acl c path /c\n  acl d path /d\n"));
        assertThat(ConfigEditor.replaceFamily(d, "frontend", "f", ACL, List.of()).text())
                .isEqualTo(RULES.replace("  acl a path /a\n  acl b path /b\n", ""));
    }

    // ---- named children ----

    @Test
    void namedChildren() throws EditException {
        ConfigDocument d = doc("frontend f\n  bind :80 name web\n  bind :81\nbackend b\n  server s1 1.2.3.4:80\n");
        assertThatThrownBy(() -> ConfigEditor.addNamed(d, "backend", "b", "server", "s1", List.of("server", "s1", "x")))
                .extracting(e -> ((EditException) e).kind()).isEqualTo(EditException.Kind.ALREADY_EXISTS);
        assertThat(ConfigEditor.replaceNamed(d, "frontend", "f", "bind", "web", List.of("bind", ":8080", "name", "web"))
                .text()).contains("  bind :8080 name web\n  bind :81\n");
        // An unnamed bind is addressed by its address, as the Data Plane API names it.
        assertThat(ConfigEditor.removeNamed(d, "frontend", "f", "bind", ":81").text())
                .isEqualTo("frontend f\n  bind :80 name web\nbackend b\n  server s1 1.2.3.4:80\n");
        assertThatThrownBy(() -> ConfigEditor.removeNamed(d, "backend", "b", "server", "nope"))
                .extracting(e -> ((EditException) e).kind()).isEqualTo(EditException.Kind.NOT_FOUND);
        assertThatThrownBy(() -> ConfigEditor.addNamed(d, "backend", "x", "server", "s", List.of("server", "s", "y")))
                .extracting(e -> ((EditException) e).kind()).isEqualTo(EditException.Kind.MISSING_PARENT);
    }

    // ---- what the Data Plane API needs ----

    @Test
    void rawWordsKeepTheirSpellingAndValuesAreQuotedOnlyWhereNeeded() throws EditException {
        ConfigDocument d = doc(RULES);
        Words acl = DirectiveWriter.acl("h", "hdr(host)", "-i \"a b\" '${X}'");
        Words rule = DirectiveWriter.useBackend("x y", false, "h !{ src \"${NET}\" }");
        ConfigDocument out = ConfigEditor.insertDirective(d, "frontend", "f", ACL, 2, acl);
        out = ConfigEditor.insertDirective(out, "frontend", "f", Set.of("use_backend"), 1, rule);
        assertThat(out.text()).contains("  acl h hdr(host) -i \"a b\" '${X}'\n")
                .contains("  use_backend 'x y' if h !{ src \"${NET}\" }\n");
        assertThatThrownBy(() -> DirectiveWriter.acl("h", "src", "\"open")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DirectiveWriter.condition(false, "a # b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anonymousSectionsAreNamedAsTheDataPlaneApiNamesThem() throws EditException {
        ConfigDocument d = doc("defaults\n  mode http\ndefaults named\ndefaults\n  retries 2\n");
        assertThat(ConfigEditor.sections(d, "defaults").stream().map(s -> ConfigEditor.name(d, s)))
                .containsExactly("unnamed_defaults_1", "named", "unnamed_defaults_2");
        assertThat(ConfigEditor.replaceSettings(d, "defaults", "unnamed_defaults_2", Set.of(),
                List.of(List.of("retries", "3"))).text()).endsWith("defaults\n  retries 3\n");
        assertThat(ConfigEditor.section(d, "defaults", null).header()).isZero();
    }

    @Test
    void leadingSectionsGoBeforeTheProxies() throws EditException {
        ConfigDocument d = doc("global\n  maxconn 1\n\ndefaults\n  mode http\n\nfrontend f\n  bind :80\n");
        assertThat(ConfigEditor.addSection(d, Words.of("userlist", "u"), List.of(Words.of("user", "a",
                "insecure-password", "p q"))).text()).isEqualTo("global\n  maxconn 1\n\ndefaults\n  mode http\n\n"
                        + "userlist u\n  user a insecure-password 'p q'\n\nfrontend f\n  bind :80\n");
        assertThat(ConfigEditor.addSection(d, Words.of("defaults", "d", "from", "x"), List.of()).text())
                .contains("  mode http\n\ndefaults d from x\n\nfrontend f\n");
    }

    @Test
    void replaceSettingsCanOwnOnlyTheLinesTheCallerModels() throws EditException {
        ConfigDocument d = doc("backend b\n  mode tcp\n  stats uri /s\n  server s1 10.0.0.1:80\n");
        ConfigDocument out = ConfigEditor.replaceSettings(d, "backend", "b", l -> l.keyword().equals("mode"),
                List.of(Words.of("mode", "http")));
        assertThat(out.text()).isEqualTo("backend b\n  mode http\n  stats uri /s\n  server s1 10.0.0.1:80\n");
        assertThat(ConfigEditor.replaceHeader(doc("backend b # mine\n"), "backend", "b",
                Words.of("backend", "b", "from", "d")).text()).isEqualTo("backend b from d # mine\n");
    }

    @Test
    void aFirstSwitchingRuleGoesBeforeDefaultBackend() throws EditException {
        ConfigDocument d = doc("frontend f\n  bind :80\n  default_backend y\n");
        assertThat(ConfigEditor.insertDirective(d, "frontend", "f", Set.of("use_backend"), 0,
                List.of("use_backend", "x")).text()).isEqualTo("frontend f\n  bind :80\n  use_backend x\n"
                        + "  default_backend y\n");
    }
}
