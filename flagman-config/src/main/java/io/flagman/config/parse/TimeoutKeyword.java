package io.flagman.config.parse;

import io.flagman.config.text.Suggest;

import io.flagman.config.model.Timeout;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** {@code timeout <kind> <duration>}. */
final class TimeoutKeyword implements Keyword<ProxyBuilder> {

    static final TimeoutKeyword INSTANCE = new TimeoutKeyword();

    private static final Set<Timeout> FRONTEND_ONLY = EnumSet.of(Timeout.CLIENT, Timeout.CLIENT_FIN,
            Timeout.CLIENT_HS);
    private static final Set<Timeout> BACKEND_ONLY = EnumSet.of(Timeout.CONNECT, Timeout.SERVER,
            Timeout.SERVER_FIN, Timeout.QUEUE, Timeout.TUNNEL, Timeout.CHECK);

    static List<String> kinds() {
        return Arrays.stream(Timeout.values()).map(Timeout::keyword).toList();
    }

    @Override
    public String name() {
        return "timeout";
    }

    @Override
    public String usage() {
        return "timeout " + String.join("|", kinds()) + " <duration>";
    }

    @Override
    public String summary() {
        return "a timeout; durations take us, ms, s, m, h or d (no unit = ms)";
    }

    @Override
    public Set<Scope> scopes() {
        return EnumSet.of(Scope.DEFAULTS, Scope.FRONTEND, Scope.BACKEND);
    }

    @Override
    public void parse(Directive d, ProxyBuilder target) {
        String kind = d.word(1);
        if (kind == null) {
            d.missing(1, "a timeout kind");
            return;
        }
        Timeout t = Timeout.fromKeyword(kind);
        if (t == null) {
            String hint = Suggest.didYouMean(kind, kinds());
            d.error(1, "unknown timeout '" + kind + "'",
                    hint != null ? hint : "expected one of: " + String.join(", ", kinds()));
            return;
        }
        Duration v = Values.duration(d, 2);
        if (v == null) {
            return;
        }
        if (d.size() > 3) {
            d.error(3, "timeout " + kind + ": unexpected '" + d.word(3) + "'", "usage: timeout " + kind + " <duration>");
            return;
        }
        if (!target.listen && target.scope == Scope.BACKEND && FRONTEND_ONLY.contains(t)) {
            d.warning(1, "'timeout " + kind + "' has no effect in a backend", "move it to the frontend or defaults");
        } else if (!target.listen && target.scope == Scope.FRONTEND && BACKEND_ONLY.contains(t)) {
            d.warning(1, "'timeout " + kind + "' has no effect in a frontend", "move it to the backend or defaults");
        }
        target.timeouts.put(t, v);
    }

    static List<String> write(Timeout kind, Duration value) {
        return List.of("timeout", kind.keyword(), Values.formatDuration(value));
    }
}
