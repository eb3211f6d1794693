package io.flagman.config.parse;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * {@code default_backend <backend>}. In a listen section (its own or inherited from defaults) it wins over the
 * section's own servers, as in HAProxy, which warns that those servers are never used; so does Flagman.
 */
final class DefaultBackendKeyword implements Keyword<ProxyBuilder> {

    static final DefaultBackendKeyword INSTANCE = new DefaultBackendKeyword();

    @Override
    public String name() {
        return "default_backend";
    }

    @Override
    public String usage() {
        return "default_backend <backend>";
    }

    @Override
    public String summary() {
        return "the backend used when no use_backend rule matches";
    }

    @Override
    public Set<Scope> scopes() {
        return EnumSet.of(Scope.DEFAULTS, Scope.FRONTEND);
    }

    @Override
    public void parse(Directive d, ProxyBuilder target) {
        String backend = d.word(1);
        if (backend == null) {
            d.missing(1, "a backend name");
            return;
        }
        if (d.size() > 2) {
            d.error(2, "default_backend: unexpected '" + d.word(2) + "'",
                    "default_backend takes no condition; use 'use_backend " + backend + " if …' for that");
            return;
        }
        target.defaultBackend = backend;
        target.defaultBackendLine = d.number();
    }

    static List<String> write(String backend) {
        return List.of("default_backend", backend);
    }
}
