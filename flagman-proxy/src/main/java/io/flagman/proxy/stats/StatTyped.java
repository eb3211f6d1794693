package io.flagman.proxy.stats;

import java.util.List;

/**
 * {@code show stat typed} and {@code show stat json}: one entry per non-empty cell, module columns continuing at
 * position 113 without the separator. Typed lines are
 * {@code <F|B|S|L>.<iid>.<sid>.<pos>.<name>.1:<tags>:<type>:<value>}; json is an array of per-row arrays without
 * whitespace. Each form ends in one LF; the CLI's trailing empty line is the socket's.
 */
public final class StatTyped {
    private StatTyped() {}

    public static String typed(List<StatRow> rows) {
        StringBuilder out = new StringBuilder(rows.size() * 2048);
        for (StatRow r : rows) {
            for (StatField f : StatField.ALL) {
                typedLine(out, r, f.position(), f.fieldName(), f.tags(r.object()), f.type(), r.value(f));
            }
            for (ModuleField f : ModuleField.ALL) {
                typedLine(out, r, f.position(), f.fieldName(), f.tags(), f.type(), r.value(f));
            }
        }
        return out.toString();
    }

    private static void typedLine(StringBuilder out, StatRow r, int pos, String name, String tags, StatType type,
            Object value) {
        if (value == null) {
            return;
        }
        out.append(r.object().letter()).append('.').append(r.iid()).append('.').append(r.sid()).append('.')
                .append(pos).append('.').append(name).append(".1:").append(tags).append(':')
                .append(Tags.typeOf(type, value).spelling()).append(':').append(value).append('\n');
    }

    public static String json(List<StatRow> rows) {
        StringBuilder out = new StringBuilder(rows.size() * 8192);
        out.append('[');
        for (int i = 0; i < rows.size(); i++) {
            StatRow r = rows.get(i);
            if (i > 0) {
                out.append(',');
            }
            out.append('[');
            boolean first = true;
            for (StatField f : StatField.ALL) {
                first = jsonEntry(out, r, f.position(), f.fieldName(), f.tags(r.object()), f.type(), r.value(f),
                        first);
            }
            for (ModuleField f : ModuleField.ALL) {
                first = jsonEntry(out, r, f.position(), f.fieldName(), f.tags(), f.type(), r.value(f), first);
            }
            out.append(']');
        }
        return out.append("]\n").toString();
    }

    private static boolean jsonEntry(StringBuilder out, StatRow r, int pos, String name, String tags, StatType type,
            Object value, boolean first) {
        if (value == null) {
            return first;
        }
        if (!first) {
            out.append(',');
        }
        out.append("{\"objType\":\"").append(r.object().jsonName()).append("\",\"proxyId\":").append(r.iid())
                .append(",\"id\":").append(r.sid()).append(",\"field\":{\"pos\":").append(pos)
                .append(",\"name\":\"").append(name).append("\"},\"processNum\":1,");
        Tags.json(out, tags);
        out.append(',');
        Tags.jsonValue(out, type, value);
        out.append('}');
        return false;
    }
}
