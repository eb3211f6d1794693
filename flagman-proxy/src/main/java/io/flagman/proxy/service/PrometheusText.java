package io.flagman.proxy.service;

import java.util.Locale;

/**
 * Prometheus's text exposition format (version 0.0.4), as HAProxy's exporter writes it: one {@code # HELP} and
 * one {@code # TYPE} line per metric family, then one sample line per series. A family whose samples are all
 * skipped writes nothing, so there are no empty families.
 */
final class PrometheusText {

    enum Type {
        GAUGE,
        COUNTER
    }

    private final StringBuilder out = new StringBuilder(16 * 1024);
    private String name;
    private String help;
    private Type type;
    private boolean headerWritten;

    /** Starts a family; its header is written with its first sample. */
    PrometheusText family(String name, Type type, String help) {
        this.name = name;
        this.type = type;
        this.help = help;
        this.headerWritten = false;
        return this;
    }

    /** A sample with an integer value; {@code labels} are name, value pairs. */
    PrometheusText sample(long value, String... labels) {
        line(labels).append(value).append('\n');
        return this;
    }

    /** A sample in seconds, written with six decimals as HAProxy's {@code %f}; NaN when unknown. */
    PrometheusText seconds(double value, String... labels) {
        StringBuilder b = line(labels);
        if (Double.isNaN(value)) {
            b.append("NaN");
        } else {
            b.append(String.format(Locale.ROOT, "%f", value));
        }
        b.append('\n');
        return this;
    }

    /** A sample whose value is not known (HAProxy writes {@code NaN}). */
    PrometheusText unknown(String... labels) {
        line(labels).append("NaN\n");
        return this;
    }

    private StringBuilder line(String... labels) {
        if (!headerWritten) {
            out.append("# HELP ").append(name).append(' ').append(help).append('\n');
            out.append("# TYPE ").append(name).append(' ').append(type.name().toLowerCase(Locale.ROOT)).append('\n');
            headerWritten = true;
        }
        out.append(name);
        if (labels.length > 0) {
            out.append('{');
            for (int i = 0; i + 1 < labels.length; i += 2) {
                if (i > 0) {
                    out.append(',');
                }
                out.append(labels[i]).append("=\"");
                escape(labels[i + 1]);
                out.append('"');
            }
            out.append('}');
        }
        return out.append(' ');
    }

    private void escape(String v) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
    }

    String text() {
        return out.toString();
    }
}
