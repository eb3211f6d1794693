package io.flagman.proxy.stats;

/** The words {@code json} output spells the three tag letters of {@code typed} output with. */
final class Tags {
    private Tags() {}

    static String origin(char c) {
        return switch (c) {
            case 'M' -> "Metric";
            case 'S' -> "Status";
            case 'K' -> "Key";
            case 'C' -> "Config";
            case 'P' -> "Product";
            default -> throw new IllegalArgumentException("origin tag " + c);
        };
    }

    static String nature(char c) {
        return switch (c) {
            case 'G' -> "Gauge";
            case 'L' -> "Limit";
            case 'M' -> "Max";
            case 'm' -> "Min";
            case 'R' -> "Rate";
            case 'C' -> "Counter";
            case 'D' -> "Duration";
            case 'A' -> "Age";
            case 'T' -> "Time";
            case 'N' -> "Name";
            case 'O' -> "Output";
            case 'a' -> "Avg";
            default -> throw new IllegalArgumentException("nature tag " + c);
        };
    }

    static String scope(char c) {
        return switch (c) {
            case 'P' -> "Process";
            case 'S' -> "Service";
            case 's' -> "System";
            case 'C' -> "Cluster";
            default -> throw new IllegalArgumentException("scope tag " + c);
        };
    }

    /** {@code "tags":{"origin":…,"nature":…,"scope":…}}. */
    static void json(StringBuilder out, String tags) {
        out.append("\"tags\":{\"origin\":\"").append(origin(tags.charAt(0)))
                .append("\",\"nature\":\"").append(nature(tags.charAt(1)))
                .append("\",\"scope\":\"").append(scope(tags.charAt(2))).append("\"}");
    }

    /** {@code "value":{"type":"u32","value":3}} or a quoted, escaped string value. */
    static void jsonValue(StringBuilder out, StatType declared, Object value) {
        StatType type = typeOf(declared, value);
        out.append("\"value\":{\"type\":\"").append(type.spelling()).append("\",\"value\":");
        if (type == StatType.STR) {
            out.append('"');
            escape(out, value.toString());
            out.append('"');
        } else {
            out.append(value);
        }
        out.append('}');
    }

    /** A text value is {@code str} whatever the field declares (HAProxy's {@code Uptime} is text, too). */
    static StatType typeOf(StatType declared, Object value) {
        return value instanceof String ? StatType.STR : declared;
    }

    static void escape(StringBuilder out, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
    }
}
