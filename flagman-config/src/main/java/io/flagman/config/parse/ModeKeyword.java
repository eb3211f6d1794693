package io.flagman.config.parse;

import io.flagman.config.text.Suggest;

import io.flagman.config.model.Mode;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** {@code mode tcp|http}. */
final class ModeKeyword implements Keyword<ProxyBuilder> {

    static final ModeKeyword INSTANCE = new ModeKeyword();

    @Override
    public String name() {
        return "mode";
    }

    @Override
    public String usage() {
        return "mode tcp|http";
    }

    @Override
    public String summary() {
        return "whether the proxy relays TCP streams or handles HTTP requests (default tcp)";
    }

    @Override
    public Set<Scope> scopes() {
        return EnumSet.of(Scope.DEFAULTS, Scope.FRONTEND, Scope.BACKEND);
    }

    @Override
    public void parse(Directive d, ProxyBuilder target) {
        String m = d.word(1);
        if (m == null) {
            d.missing(1, "tcp or http");
            return;
        }
        switch (m) {
            case "tcp" -> target.mode = Mode.TCP;
            case "http" -> target.mode = Mode.HTTP;
            case "health", "log", "spop" -> d.error(1, "mode '" + m + "' is not supported yet", "expected tcp or http");
            default -> {
                String hint = Suggest.didYouMean(m, List.of("tcp", "http"));
                d.error(1, "unknown mode '" + m + "'", hint != null ? hint : "expected tcp or http");
            }
        }
        if (d.size() > 2) {
            d.error(2, "mode: unexpected '" + d.word(2) + "'", "usage: mode tcp|http");
        }
    }

    static List<String> write(Mode m) {
        return List.of("mode", m.keyword());
    }
}
