package io.flagman.config.parse;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** {@code disabled} and {@code enabled}: a disabled proxy is parsed but not started. */
final class DisabledKeyword implements Keyword<ProxyBuilder> {

    static final DisabledKeyword DISABLED = new DisabledKeyword(true);
    static final DisabledKeyword ENABLED = new DisabledKeyword(false);

    private final boolean disabled;

    private DisabledKeyword(boolean disabled) {
        this.disabled = disabled;
    }

    @Override
    public String name() {
        return disabled ? "disabled" : "enabled";
    }

    @Override
    public String usage() {
        return name();
    }

    @Override
    public String summary() {
        return disabled ? "the proxy is parsed but not started" : "undoes 'disabled'";
    }

    @Override
    public Set<Scope> scopes() {
        return EnumSet.of(Scope.FRONTEND, Scope.BACKEND);
    }

    @Override
    public void parse(Directive d, ProxyBuilder target) {
        if (d.size() > 1) {
            d.error(1, name() + ": unexpected '" + d.word(1) + "'", "usage: " + name());
            return;
        }
        target.disabled = disabled;
    }

    static List<String> write() {
        return List.of("disabled");
    }
}
