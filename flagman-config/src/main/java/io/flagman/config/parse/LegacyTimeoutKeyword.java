package io.flagman.config.parse;

import java.util.EnumSet;
import java.util.Set;

/** {@code contimeout}, {@code clitimeout}, {@code srvtimeout}: removed from HAProxy; an error that names the replacement. */
final class LegacyTimeoutKeyword implements Keyword<ProxyBuilder> {

    private final String name;
    private final String replacement;

    LegacyTimeoutKeyword(String name, String replacement) {
        this.name = name;
        this.replacement = replacement;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String usage() {
        return name + " (removed: use '" + replacement + "')";
    }

    @Override
    public String summary() {
        return "removed from HAProxy; use '" + replacement + "'";
    }

    @Override
    public Set<Scope> scopes() {
        return EnumSet.of(Scope.DEFAULTS, Scope.FRONTEND, Scope.BACKEND);
    }

    @Override
    public Support support() {
        return Support.NOT_SUPPORTED;
    }

    @Override
    public void parse(Directive d, ProxyBuilder target) {
        d.error(0, "'" + name + "' was removed from HAProxy", "use '" + replacement + " <duration>' instead");
    }
}
