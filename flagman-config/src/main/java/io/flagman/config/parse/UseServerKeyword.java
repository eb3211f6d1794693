package io.flagman.config.parse;

import io.flagman.config.model.Condition;
import io.flagman.config.model.UseServer;
import io.flagman.config.text.Words;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** {@code use-server <server> [if|unless <condition>]}. */
final class UseServerKeyword implements Keyword<ProxyBuilder> {

    static final UseServerKeyword INSTANCE = new UseServerKeyword();

    @Override
    public String name() {
        return "use-server";
    }

    @Override
    public String usage() {
        return "use-server <server> [if|unless <condition>]";
    }

    @Override
    public String summary() {
        return "send the request to a given server when the condition matches";
    }

    @Override
    public Set<Scope> scopes() {
        return EnumSet.of(Scope.BACKEND);
    }

    @Override
    public void parse(Directive d, ProxyBuilder target) {
        String server = d.word(1);
        if (server == null) {
            d.missing(1, "a server name");
            return;
        }
        Condition c = RouteSyntax.condition(d, 2);
        if (c != RouteSyntax.INVALID) {
            target.useServers.add(new UseServer(server, c, d.number()));
        }
    }

    static List<String> write(UseServer r) {
        Words c = r.condition() == null ? Words.of() : Words.of(ConditionSyntax.write(r.condition()));
        return write(r.server(), c).values();
    }

    /** {@code use-server <server> [<condition>]}: the one place that spells the rule. */
    static Words write(String server, Words condition) {
        return Words.of("use-server", server).plus(condition);
    }
}
