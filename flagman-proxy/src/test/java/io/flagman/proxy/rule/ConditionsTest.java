package io.flagman.proxy.rule;

import static io.flagman.proxy.rule.Acls.acl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flagman.config.model.Acl;
import io.flagman.config.model.AclTest;
import io.flagman.config.model.Condition;
import io.flagman.config.model.Condition.Term;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionsTest {

    private final List<Acl> acls = List.of(
            new Acl("is_api", acl("path_beg", "/api"), 1),
            new Acl("is_admin", acl("path_beg", "/admin"), 2),
            new Acl("is_admin", acl("hdr(host)", "-i", "admin.example.com"), 3),
            new Acl("internal", acl("src", "10.0.0.0/8"), 4));

    private static Term named(String name) {
        return new Term(false, name, null);
    }

    private static Term not(String name) {
        return new Term(true, name, null);
    }

    private static Term anonymous(AclTest test) {
        return new Term(false, null, test);
    }

    private static Condition ifAll(List<List<Term>> groups) {
        return new Condition(false, groups, "");
    }

    private boolean eval(Condition c, SampleSource s) {
        return Conditions.compile(c, acls).test(s);
    }

    @Test
    void nullConditionIsAlways() {
        assertThat(Conditions.compile(null, acls)).isSameAs(RequestPredicate.ALWAYS);
    }

    @Test
    void aclOfSeveralLinesIsTheirOr() {
        Condition c = ifAll(List.of(List.of(named("is_admin"))));
        assertThat(eval(c, TestSample.get("/admin/x"))).isTrue();
        assertThat(eval(c, TestSample.get("/").header("Host", "ADMIN.example.com"))).isTrue();
        assertThat(eval(c, TestSample.get("/"))).isFalse();
    }

    @Test
    void termsSideBySideAreAnded() {
        Condition c = ifAll(List.of(List.of(named("is_api"), named("internal"))));
        assertThat(eval(c, TestSample.get("/api/x").from("10.1.1.1"))).isTrue();
        assertThat(eval(c, TestSample.get("/api/x"))).isFalse();
        assertThat(eval(c, TestSample.get("/web").from("10.1.1.1"))).isFalse();
    }

    @Test
    void groupsAreOredAndNegationAppliesToOneTerm() {
        Condition c = ifAll(List.of(List.of(named("is_api"), not("internal")), List.of(named("is_admin"))));
        assertThat(eval(c, TestSample.get("/api/x"))).isTrue();
        assertThat(eval(c, TestSample.get("/api/x").from("10.1.1.1"))).isFalse();
        assertThat(eval(c, TestSample.get("/admin").from("10.1.1.1"))).isTrue();
        assertThat(eval(c, TestSample.get("/other"))).isFalse();
    }

    @Test
    void unlessNegatesTheWholeCondition() {
        Condition c = new Condition(true, List.of(List.of(named("internal")), List.of(named("is_api"))), "");
        assertThat(eval(c, TestSample.get("/web"))).isTrue();
        assertThat(eval(c, TestSample.get("/api"))).isFalse();
        assertThat(eval(c, TestSample.get("/web").from("10.0.0.1"))).isFalse();
    }

    @Test
    void anonymousAclsAndPredefinedAcls() {
        Condition c = ifAll(List.of(List.of(anonymous(acl("path", "/health")), named("METH_GET"))));
        assertThat(eval(c, TestSample.get("/health"))).isTrue();
        assertThat(eval(c, TestSample.get("/health").method("HEAD"))).isTrue();
        assertThat(eval(c, TestSample.get("/health").method("POST"))).isFalse();
        assertThat(eval(ifAll(List.of(List.of(named("LOCALHOST")))), TestSample.get("/").from("127.0.0.5"))).isTrue();
        assertThat(eval(ifAll(List.of(List.of(named("LOCALHOST")))), TestSample.get("/").from("::1"))).isTrue();
        assertThat(eval(ifAll(List.of(List.of(named("LOCALHOST")))), TestSample.get("/"))).isFalse();
        assertThat(eval(ifAll(List.of(List.of(named("TRUE")))), TestSample.get("/"))).isTrue();
        assertThat(eval(ifAll(List.of(List.of(named("FALSE")))), TestSample.get("/"))).isFalse();
        assertThat(eval(ifAll(List.of(List.of(named("HTTP_1.1")))), TestSample.get("/"))).isTrue();
        assertThat(eval(ifAll(List.of(List.of(named("HTTP_1.0")))), TestSample.get("/").version("HTTP/1.0"))).isTrue();
        assertThat(eval(ifAll(List.of(List.of(named("HTTP_URL_ABS")))), TestSample.get("http://a/b"))).isTrue();
        assertThat(eval(ifAll(List.of(List.of(named("HTTP_CONTENT")))), TestSample.get("/").header("Content-Length", "3"))).isTrue();
        assertThat(eval(ifAll(List.of(List.of(named("HTTP")))), TestSample.tcp("10.0.0.1"))).isFalse();
    }

    @Test
    void ownAclShadowsPredefinedName() {
        List<Acl> own = List.of(new Acl("LOCALHOST", acl("path", "/x"), 1));
        Condition c = ifAll(List.of(List.of(named("LOCALHOST"))));
        assertThat(Conditions.compile(c, own).test(TestSample.get("/x"))).isTrue();
        assertThat(Conditions.compile(c, own).test(TestSample.get("/y").from("127.0.0.1"))).isFalse();
    }

    @Test
    void unknownAclIsRejected() {
        Condition c = ifAll(List.of(List.of(named("nope"))));
        assertThatThrownBy(() -> Conditions.compile(c, acls)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nope");
    }

    @Test
    void everyPredefinedAclOfTheConfigModuleCompiles() {
        for (String name : io.flagman.config.parse.PredefinedAcls.names()) {
            Condition c = ifAll(List.of(List.of(named(name))));
            assertThat(Conditions.compile(c, List.of())).as(name).isNotNull();
        }
    }
}
