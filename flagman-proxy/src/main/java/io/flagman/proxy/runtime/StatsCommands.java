package io.flagman.proxy.runtime;

import io.flagman.config.model.StatsSocket.Level;
import io.flagman.proxy.stats.HiddenServers;
import io.flagman.proxy.stats.InfoFormat;
import io.flagman.proxy.stats.ProcessInfo;
import io.flagman.proxy.stats.StatCsv;
import io.flagman.proxy.stats.StatField;
import io.flagman.proxy.stats.StatRow;
import io.flagman.proxy.stats.StatTyped;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code clear counters [all]}, {@code show info [typed|json]} and {@code show stat [{<iid>|<proxy>} <type> <sid>] [typed|json]}: the
 * statistics model ({@code DataPlane.statistics()}/{@code info()}) through its renderers.
 */
final class StatsCommands {
    private StatsCommands() {}

    static List<CliCommand> all() {
        return List.of(
                SimpleCommand.of("show info",
                        "show info [desc|json|typed|float]*      : report information about the running process",
                        Level.USER, StatsCommands::info),
                SimpleCommand.of("show stat",
                        "show stat [desc|json|no-maint|typed|up]*: report counters for each proxy and server",
                        Level.USER, StatsCommands::stat),
                SimpleCommand.of("clear counters",
                        "clear counters [all]                    : clear max statistics counters (or all counters)",
                        Level.OPERATOR, StatsCommands::clear));
    }

    /** {@code clear counters}: the maxima (operator); {@code clear counters all}: every counter (admin). */
    private static Reply clear(CliContext c, List<String> w) {
        boolean all = w.size() > 2 && w.get(2).equals("all");
        if (all && !c.allows(Level.ADMIN)) {
            return Reply.PERMISSION_DENIED;
        }
        c.servers().dataPlane().clearCounters(all);
        return Reply.EMPTY;
    }

    private static Reply info(CliContext c, List<String> w) {
        ProcessInfo info = c.servers().dataPlane().info();
        List<String> args = w.subList(2, w.size());
        if (args.contains("json")) {
            return Reply.dump(InfoFormat.json(info));
        }
        if (args.contains("typed")) {
            return Reply.dump(InfoFormat.typed(info));
        }
        return Reply.dump(InfoFormat.text(info));
    }

    private static Reply stat(CliContext c, List<String> w) {
        List<String> args = new ArrayList<>(w.subList(2, w.size()));
        if (args.size() >= 2 && args.get(0).equals("domain")) {
            if (!args.get(1).equals("proxy")) {
                return Reply.error("Invalid statistics domain.");
            }
            args = new ArrayList<>(args.subList(2, args.size()));
        }
        boolean typed = false;
        boolean json = false;
        boolean up = false;
        boolean noMaint = false;
        List<String> filter = new ArrayList<>();
        for (String a : args) {
            switch (a) {
                case "typed" -> typed = true;
                case "json" -> json = true;
                case "up" -> up = true;
                case "no-maint" -> noMaint = true;
                case "desc" -> { } // descriptions are for typed/json output only; Flagman prints none
                default -> filter.add(a);
            }
        }
        List<StatRow> rows = c.servers().dataPlane().statistics();
        if (!c.allows(Level.OPERATOR)) {
            rows = rows.stream().map(r -> r.without(USER_HIDDEN)).toList(); // as HAProxy: empty at user level
        }
        if (filter.size() >= 3) {
            String proxy = filter.get(0);
            int iid = -1;
            if (!proxy.equals("-1")) {
                Integer n = number(proxy);
                iid = n != null ? n : rows.stream().filter(r -> r.proxy().equals(proxy)).mapToInt(StatRow::iid)
                        .findFirst().orElse(0);
                int wanted = iid;
                if (iid <= 0 || rows.stream().noneMatch(r -> r.iid() == wanted)) {
                    return Reply.error("No such proxy.");
                }
            }
            Integer type = number(filter.get(1));
            Integer sid = number(filter.get(2));
            int mask = type == null ? -1 : type;
            int server = sid == null ? -1 : sid;
            int onlyProxy = iid;
            rows = rows.stream().filter(r -> (onlyProxy == -1 || r.iid() == onlyProxy)
                    && (mask == -1 || (r.object().mask() & mask) != 0)
                    && (server == -1 || r.sid() == server || r.sid() == 0)).toList();
        }
        if (up || noMaint) {
            rows = HiddenServers.hide(rows, up);
        }
        if (json) {
            return Reply.dump(StatTyped.json(rows));
        }
        if (typed) {
            return Reply.dump(StatTyped.typed(rows));
        }
        return Reply.dump(StatCsv.render(rows));
    }

    /** The cells {@code show stat} leaves empty for a session at user level: addresses, cookies, algorithms. */
    private static final java.util.Set<StatField> USER_HIDDEN = java.util.EnumSet.of(StatField.ADDR, StatField.COOKIE,
            StatField.ALGO);

    private static Integer number(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
