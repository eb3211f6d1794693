package io.flagman.proxy.stats;

/**
 * {@code show info}, {@code show info typed} and {@code show info json}: unset fields are omitted. Text lines are
 * {@code Name: value}, typed lines {@code <pos>.<Name>.1:<tags>:<type>:<value>}, json an array without whitespace.
 * Each form ends in one LF; the CLI's trailing empty line is the socket's.
 */
public final class InfoFormat {
    private InfoFormat() {}

    public static String text(ProcessInfo info) {
        StringBuilder out = new StringBuilder(2048);
        for (InfoField f : InfoField.ALL) {
            Object v = info.value(f);
            if (v != null) {
                out.append(f.fieldName()).append(": ").append(v).append('\n');
            }
        }
        return out.toString();
    }

    public static String typed(ProcessInfo info) {
        StringBuilder out = new StringBuilder(4096);
        for (InfoField f : InfoField.ALL) {
            Object v = info.value(f);
            if (v != null) {
                out.append(f.position()).append('.').append(f.fieldName()).append(".1:").append(f.tags()).append(':')
                        .append(Tags.typeOf(f.type(), v).spelling()).append(':').append(v).append('\n');
            }
        }
        return out.toString();
    }

    public static String json(ProcessInfo info) {
        StringBuilder out = new StringBuilder(16384).append('[');
        boolean first = true;
        for (InfoField f : InfoField.ALL) {
            Object v = info.value(f);
            if (v == null) {
                continue;
            }
            if (!first) {
                out.append(',');
            }
            first = false;
            out.append("{\"field\":{\"pos\":").append(f.position()).append(",\"name\":\"").append(f.fieldName())
                    .append("\"},\"processNum\":1,");
            Tags.json(out, f.tags());
            out.append(',');
            Tags.jsonValue(out, f.type(), v);
            out.append('}');
        }
        return out.append("]\n").toString();
    }
}
