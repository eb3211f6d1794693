package io.flagman.config.parse;

import io.flagman.config.model.Condition;
import io.flagman.config.model.UseBackend;
import io.flagman.config.text.Words;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** {@code use_backend <backend> [if|unless <condition>]}. */
final class UseBackendKeyword implements Keyword<ProxyBuilder> {

    static final UseBackendKeyword INSTANCE = new UseBackendKeyword();

    @Override
    public String name() {
        return "use_backend";
    }

    @Override
    public String usage() {
        return "use_backend <backend> [if|unless <condition>]";
    }

    @Override
    public String summary() {
        return "switch to a backend when the condition matches (first match wins)";
    }

    @Override
    public Set<Scope> scopes() {
        return EnumSet.of(Scope.FRONTEND);
    }

    @Override
    public void parse(Directive d, ProxyBuilder target) {
        String backend = d.word(1);
        if (backend == null) {
            d.missing(1, "a backend name");
            return;
        }
        Condition c = RouteSyntax.condition(d, 2);
        if (c != RouteSyntax.INVALID) {
            target.useBackends.add(new UseBackend(backend, c, d.number()));
        }
    }

    static List<String> write(UseBackend r) {
        Words c = r.condition() == null ? Words.of() : Words.of(ConditionSyntax.write(r.condition()));
        return write(r.backend(), c).values();
    }

    /** {@code use_backend <backend> [<condition>]}: the one place that spells the rule. */
    static Words write(String backend, Words condition) {
        return Words.of("use_backend", backend).plus(condition);
    }
}
