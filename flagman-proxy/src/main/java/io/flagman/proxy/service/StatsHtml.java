package io.flagman.proxy.service;

import io.flagman.config.model.StatsPage;
import io.flagman.proxy.stats.InfoField;
import io.flagman.proxy.stats.ProcessInfo;
import io.flagman.proxy.stats.StatField;
import io.flagman.proxy.stats.StatObject;
import io.flagman.proxy.stats.StatRow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The HTML stats page: the process block, a legend and one table per proxy (FRONTEND, servers, BACKEND) with
 * HAProxy's column groups. In admin mode each backend's servers get checkboxes and the action list, posted as
 * HAProxy's form ({@code s}, {@code action}, {@code b=#<iid>}).
 */
final class StatsHtml {

    private record Group(String title, List<String> names, List<StatField> fields) {}

    private static final List<Group> GROUPS = List.of(
            new Group("Queue", List.of("Cur", "Max", "Limit"),
                    List.of(StatField.QCUR, StatField.QMAX, StatField.QLIMIT)),
            new Group("Session rate", List.of("Cur", "Max", "Limit"),
                    List.of(StatField.RATE, StatField.RATE_MAX, StatField.RATE_LIM)),
            new Group("Sessions", List.of("Cur", "Max", "Limit", "Total", "LbTot", "Last"),
                    List.of(StatField.SCUR, StatField.SMAX, StatField.SLIM, StatField.STOT, StatField.LBTOT,
                            StatField.LASTSESS)),
            new Group("Bytes", List.of("In", "Out"), List.of(StatField.BIN, StatField.BOUT)),
            new Group("Denied", List.of("Req", "Resp"), List.of(StatField.DREQ, StatField.DRESP)),
            new Group("Errors", List.of("Req", "Conn", "Resp"),
                    List.of(StatField.EREQ, StatField.ECON, StatField.ERESP)),
            new Group("Warnings", List.of("Retr", "Redis"), List.of(StatField.WRETR, StatField.WREDIS)),
            new Group("Server", List.of("Status", "LastChk", "Wght", "Act", "Bck", "Chk", "Dwn", "Dwntme", "Thrtle"),
                    List.of(StatField.STATUS, StatField.CHECK_STATUS, StatField.WEIGHT, StatField.ACT,
                            StatField.BCK, StatField.CHKFAIL, StatField.CHKDOWN, StatField.DOWNTIME,
                            StatField.THROTTLE)));

    static final List<String> ACTIONS = List.of("ready", "drain", "maint", "dhlth", "ehlth");

    private StatsHtml() {}

    static String render(List<StatRow> rows, ProcessInfo info, StatsPage page, boolean admin,
            StatsAdmin.Result result) {
        StringBuilder h = new StringBuilder(8192);
        String node = info.text(InfoField.NODE);
        h.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\n<title>Statistics Report for Flagman on ")
                .append(esc(node)).append("</title>\n<style>\n")
                .append("body{font-family:sans-serif;font-size:12px} table{border-collapse:collapse;margin-bottom:1em}\n")
                .append("td,th{border:1px solid #999;padding:1px 4px;text-align:right} th{background:#20a0ff}\n")
                .append(".up{background:#c0ffc0} .down{background:#ff9090} .maint{background:#c060ff}\n")
                .append(".drain{background:#b0d0ff} .nocheck{background:#e0e0e0} .px{text-align:left}\n")
                .append("</style></head><body>\n");
        h.append("<h1>Flagman").append(page.hideVersion() ? "" : " version " + esc(info.text(InfoField.VERSION)))
                .append("</h1>\n");
        if (page.showNode() != null || page.showDesc() != null && !page.showDesc().isEmpty()) {
            h.append("<h2>");
            if (page.showNode() != null) {
                h.append("<span class=\"node\">").append(esc(page.showNode().isEmpty() ? node : page.showNode()))
                        .append("</span>");
            }
            if (page.showDesc() != null && !page.showDesc().isEmpty()) {
                h.append(page.showNode() != null ? ": " : "").append("<span class=\"desc\">")
                        .append(esc(page.showDesc())).append("</span>");
            }
            h.append("</h2>\n");
        }
        h.append("<h2>General process information</h2>\n<p>pid = ").append(info.text(InfoField.PID))
                .append(" (process #1, nbproc = 1, nbthread = ").append(info.text(InfoField.NBTHREAD))
                .append(")<br>uptime = ").append(esc(info.text(InfoField.UPTIME)))
                .append("<br>maxconn = ").append(info.text(InfoField.MAXCONN))
                .append("<br>current conns = ").append(info.text(InfoField.CURRCONNS))
                .append("; conn rate = ").append(info.text(InfoField.CONNRATE)).append("/sec</p>\n");
        h.append("<p class=\"legend\"><span class=\"up\">active UP</span> <span class=\"down\">DOWN</span> ")
                .append("<span class=\"drain\">DRAIN</span> <span class=\"maint\">MAINT</span> ")
                .append("<span class=\"nocheck\">not checked</span></p>\n");
        if (result != null) {
            h.append("<p class=\"result\">Action result: ").append(result.name()).append("</p>\n");
        }
        for (Map.Entry<String, List<StatRow>> proxy : byProxy(rows).entrySet()) {
            table(h, proxy.getKey(), proxy.getValue(), page, admin);
        }
        return h.append("</body></html>\n").toString();
    }

    private static Map<String, List<StatRow>> byProxy(List<StatRow> rows) {
        Map<String, List<StatRow>> out = new LinkedHashMap<>();
        for (StatRow r : rows) {
            out.computeIfAbsent(r.proxy(), k -> new ArrayList<>()).add(r);
        }
        return out;
    }

    private static void table(StringBuilder h, String proxy, List<StatRow> rows, StatsPage page, boolean admin) {
        StatRow backend = rows.stream().filter(r -> r.object() == StatObject.BACKEND).findFirst().orElse(null);
        boolean form = admin && backend != null;
        if (form) {
            h.append("<form method=\"post\" action=\"").append(esc(page.uri())).append("\">\n");
        }
        h.append("<table class=\"proxy\" id=\"").append(esc(proxy)).append("\">\n<tr><th class=\"px\" colspan=\"")
                .append(form ? 2 : 1).append("\">").append(esc(proxy)).append("</th>");
        for (Group g : GROUPS) {
            h.append("<th colspan=\"").append(g.names().size()).append("\">").append(g.title()).append("</th>");
        }
        h.append("</tr>\n<tr>").append(form ? "<th></th>" : "").append("<th></th>");
        for (Group g : GROUPS) {
            for (String n : g.names()) {
                h.append("<th>").append(n).append("</th>");
            }
        }
        h.append("</tr>\n");
        for (StatRow r : rows) {
            String status = r.text(StatField.STATUS);
            h.append("<tr class=\"").append(css(r.object(), status)).append("\">");
            if (form) {
                h.append("<td>");
                if (r.object() == StatObject.SERVER) {
                    h.append("<input type=\"checkbox\" name=\"s\" value=\"").append(esc(r.name())).append("\">");
                }
                h.append("</td>");
            }
            h.append("<td class=\"px\">").append(esc(r.name())).append("</td>");
            for (Group g : GROUPS) {
                for (StatField f : g.fields()) {
                    h.append("<td>").append(esc(cell(r, f))).append("</td>");
                }
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n");
        if (page.showLegends()) {
            legends(h, rows);
        }
        if (form) {
            h.append("Choose the action to perform on the checked servers: <select name=\"action\">");
            for (String a : ACTIONS) {
                h.append("<option value=\"").append(a).append("\">").append(a).append("</option>");
            }
            h.append("</select><input type=\"hidden\" name=\"b\" value=\"#").append(backend.iid())
                    .append("\"><input type=\"submit\" value=\"Apply\">\n</form>\n");
        }
    }

    /** {@code stats show-legends}: what HAProxy puts in its tooltips, as a visible list under the table. */
    private static void legends(StringBuilder h, List<StatRow> rows) {
        h.append("<ul class=\"legends\">\n");
        for (StatRow r : rows) {
            h.append("<li>").append(esc(r.name())).append(": ").append(r.object().name().toLowerCase(java.util.Locale.ROOT))
                    .append(", mode=").append(esc(r.text(StatField.MODE))).append(", id=")
                    .append(r.object() == StatObject.SERVER ? esc(r.text(StatField.SID)) : esc(r.text(StatField.IID)));
            if (r.object() == StatObject.SERVER) {
                if (!r.text(StatField.ADDR).isEmpty()) {
                    h.append(", addr=").append(esc(r.text(StatField.ADDR)));
                }
                if (!r.text(StatField.COOKIE).isEmpty()) {
                    h.append(", cookie=").append(esc(r.text(StatField.COOKIE)));
                }
                if (!r.text(StatField.CHECK_DESC).isEmpty()) {
                    h.append(", check: ").append(esc(r.text(StatField.CHECK_DESC)));
                }
            }
            h.append("</li>\n");
        }
        h.append("</ul>\n");
    }

    private static String cell(StatRow r, StatField f) {
        if (f == StatField.CHECK_STATUS) {
            String s = r.text(StatField.CHECK_STATUS);
            if (s.isEmpty()) {
                return "";
            }
            String code = r.text(StatField.CHECK_CODE);
            String ms = r.text(StatField.CHECK_DURATION);
            return s + (code.isEmpty() ? "" : "/" + code) + (ms.isEmpty() ? "" : " in " + ms + "ms");
        }
        if (f == StatField.DOWNTIME && !r.isEmpty(f)) {
            return duration(r.number(f));
        }
        return r.text(f);
    }

    private static String duration(long s) {
        return s >= 86400 ? (s / 86400) + "d" + (s / 3600) % 24 + "h"
                : s >= 3600 ? (s / 3600) + "h" + (s / 60) % 60 + "m" : s >= 60 ? (s / 60) + "m" + s % 60 + "s" : s + "s";
    }

    private static String css(StatObject o, String status) {
        if (o == StatObject.FRONTEND || o == StatObject.BACKEND) {
            return status.startsWith("UP") || status.equals("OPEN") ? "up" : "down";
        }
        if (status.startsWith("MAINT")) {
            return "maint";
        }
        if (status.startsWith("DRAIN")) {
            return "drain";
        }
        if (status.startsWith("DOWN")) {
            return "down";
        }
        return status.equals("no check") ? "nocheck" : "up";
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
