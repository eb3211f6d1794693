package io.flagman.proxy.service;

import io.flagman.proxy.stats.StatField;
import io.flagman.proxy.stats.StatObject;
import io.flagman.proxy.stats.StatRow;
import io.flagman.proxy.upstream.ServerState;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The stats page's admin form: {@code s=<server>&s=…&action=<action>&b=<#iid|backend>}, applied through the same
 * live server state the runtime socket and the Data Plane API's runtime endpoints change (runtime state: the file
 * is not touched). Flagman applies {@code ready}, {@code drain}, {@code maint} and {@code dhlth} / {@code ehlth}
 * (health checks off / on, for the servers that have checks, as {@code disable|enable health}).
 */
final class StatsAdmin {

    /** HAProxy's {@code ;st=} results. */
    enum Result {
        /** Every server named was changed. */
        DONE,
        /** Some were. */
        PART,
        /** None was (none named, or none found). */
        NONE,
        /** The form lacks its backend or its action. */
        ERRP,
        /** The form is too long. */
        EXCD,
        /** Admin actions are not allowed. */
        DENY,
        /** An action Flagman does not know or does not implement. */
        UNKN,
        /** A server or backend name that cannot exist. */
        IVAL
    }

    private StatsAdmin() {}

    static Result apply(String form, StatsView stats) {
        if (form.length() > StatsPageService.MAX_FORM) {
            return Result.EXCD;
        }
        List<String> servers = new ArrayList<>();
        String action = null;
        String backend = null;
        for (String part : form.split("&")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String key = decode(part.substring(0, eq));
            String value = decode(part.substring(eq + 1));
            switch (key) {
                case "s" -> servers.add(value);
                case "action" -> action = value;
                case "b" -> backend = value;
                default -> { }
            }
        }
        if (action == null || backend == null) {
            return Result.ERRP;
        }
        ServerState.AdminState target = switch (action) {
            case "ready" -> ServerState.AdminState.READY;
            case "drain" -> ServerState.AdminState.DRAIN;
            case "maint" -> ServerState.AdminState.MAINT;
            default -> null;
        };
        Boolean health = switch (action) {
            case "ehlth" -> true;
            case "dhlth" -> false;
            default -> null;
        };
        if (target == null && health == null) {
            return Result.UNKN;
        }
        List<StatRow> rows = stats.statistics();
        String name = backendName(backend, rows);
        if (name == null) {
            return Result.IVAL;
        }
        int done = 0;
        for (String s : servers) {
            Optional<ServerState> st = stats.serverState(name, s);
            if (st.isEmpty()) {
                continue;
            }
            if (target != null) {
                st.get().setAdminState(target);
                done++;
            } else if (checked(rows, name, s)) { // as HAProxy: only a server with checks has them switched
                st.get().setCheckEnabled(health);
                done++;
            }
        }
        if (done == 0) {
            return Result.NONE;
        }
        return done == servers.size() ? Result.DONE : Result.PART;
    }

    /** True when the server's row shows a configured check (its rise and fall). */
    private static boolean checked(List<StatRow> rows, String backend, String server) {
        for (StatRow r : rows) {
            if (r.object() == StatObject.SERVER && r.proxy().equals(backend) && r.name().equals(server)) {
                return !r.isEmpty(StatField.CHECK_RISE);
            }
        }
        return false;
    }

    /** {@code #<iid>} or a name, to the backend's name; null when there is no such backend. */
    private static String backendName(String b, List<StatRow> rows) {
        for (StatRow r : rows) {
            if (r.object() != StatObject.BACKEND) {
                continue;
            }
            if (b.startsWith("#") ? b.substring(1).equals(Integer.toString(r.iid())) : b.equals(r.proxy())) {
                return r.proxy();
            }
        }
        return null;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }
}
