package io.flagman.cluster;

import io.flagman.control.RuntimeServers;
import java.util.List;
import java.util.Locale;

/**
 * A runtime command a fleet action carries: {@code set server BACKEND/SERVER state ready|drain|maint}, the
 * Runtime API's words. Parsing never throws: a command Flagman cannot fan out is a {@link Refused} naming it.
 */
public sealed interface ServerCommand {

    /** {@code set server B/S state S}. */
    record SetState(String backend, String server, RuntimeServers.AdminState state) implements ServerCommand {
        /** {@code set server B/S state drain}: the action's command in the store ({@link FleetAction#command()}). */
        public String text() {
            return "set server " + backend + "/" + server + " state " + state.name().toLowerCase(Locale.ROOT);
        }
    }

    /** Not a command a fleet action can carry; {@code message} says why and what is. */
    record Refused(String message) implements ServerCommand {}

    /** Parses the Runtime API text {@code set server B/S state ready|drain|maint}. */
    static ServerCommand parse(String text) {
        List<String> w = text == null ? List.of() : List.of(text.strip().split("\\s+"));
        if (w.size() < 2 || !w.get(0).equals("set") || !w.get(1).equals("server")) {
            return new Refused("'" + text + "': a fleet action is 'set server BACKEND/SERVER state"
                    + " ready|drain|maint'");
        }
        return args(w.subList(2, w.size()));
    }

    /** The arguments after {@code set server}: {@code B/S state ready|drain|maint}. */
    static ServerCommand args(List<String> a) {
        if (a.size() < 1 || a.get(0).indexOf('/') <= 0 || a.get(0).indexOf('/') == a.get(0).length() - 1) {
            return new Refused("set server needs BACKEND/SERVER, e.g. 'set server app/web1 state drain'");
        }
        String ref = a.get(0);
        int slash = ref.indexOf('/');
        if (a.size() < 2 || !a.get(1).equals("state")) {
            String what = a.size() < 2 ? "nothing" : "'" + a.get(1) + "'";
            return new Refused("set server " + ref + ": only 'state ready|drain|maint' is fanned out across the"
                    + " fleet, not " + what + " (weight, addr, health… stay per node: use that node's runtime"
                    + " API)");
        }
        if (a.size() != 3) {
            return new Refused("set server " + ref + " state: expected one of ready, drain, maint");
        }
        RuntimeServers.AdminState state = switch (a.get(2)) {
            case "ready" -> RuntimeServers.AdminState.READY;
            case "drain" -> RuntimeServers.AdminState.DRAIN;
            case "maint" -> RuntimeServers.AdminState.MAINT;
            default -> null;
        };
        if (state == null) {
            return new Refused("set server " + ref + " state '" + a.get(2) + "': expected ready, drain or maint");
        }
        return new SetState(ref.substring(0, slash), ref.substring(slash + 1), state);
    }

    /** The command of a stored action ({@link FleetAction#command()}: the Runtime API text, no extra arguments). */
    static ServerCommand of(FleetAction action) {
        if (!action.args().isEmpty()) {
            return new Refused("fleet action '" + action.command() + "' with arguments " + action.args()
                    + ": this node runs 'set server BACKEND/SERVER state ready|drain|maint' only");
        }
        return parse(action.command());
    }
}
