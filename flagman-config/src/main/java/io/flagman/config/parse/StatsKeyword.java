package io.flagman.config.parse;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** {@code stats socket <address> [options]} and the other global {@code stats} settings. */
final class StatsKeyword implements Keyword<GlobalBuilder> {

    static final StatsKeyword INSTANCE = new StatsKeyword();

    @Override
    public String name() {
        return "stats";
    }

    @Override
    public String usage() {
        return "stats socket <address> [mode <mode>] [level user|operator|admin] | stats timeout <duration>";
    }

    @Override
    public String summary() {
        return "accepted with a warning: the runtime socket is not implemented yet";
    }

    @Override
    public Set<Scope> scopes() {
        return EnumSet.of(Scope.GLOBAL);
    }

    @Override
    public Support support() {
        return Support.IGNORED;
    }

    @Override
    public void parse(Directive d, GlobalBuilder target) {
        String what = d.word(1);
        if (what == null) {
            d.missing(1, "'socket', 'timeout' or 'maxconn'");
            return;
        }
        switch (what) {
            case "socket" -> {
                String address = d.word(2);
                if (address == null) {
                    d.missing(2, "a socket address");
                    return;
                }
                target.statsSockets.add(address);
                d.warning(0, "'stats socket' is accepted but the runtime socket is not implemented yet",
                        "runtime commands (show stat, set server…) are not available on " + address);
            }
            case "timeout", "maxconn", "bind-process" ->
                    d.warning(0, "'stats " + what + "' has no effect in Flagman", "the runtime socket is not implemented yet");
            default -> d.error(1, "unknown stats setting '" + what + "'", "expected socket, timeout or maxconn");
        }
    }

    /** {@code stats socket <address> [level <level>] [mode <mode>]} as said (null = not said). */
    static List<String> writeSocket(String address, String level, String mode) {
        List<String> w = new ArrayList<>(List.of("stats", "socket", address));
        Values.option(w, "level", level);
        Values.option(w, "mode", mode);
        return w;
    }
}
