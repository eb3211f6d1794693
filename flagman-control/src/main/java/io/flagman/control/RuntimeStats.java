package io.flagman.control;

import java.util.List;
import java.util.Map;

/**
 * The data plane's statistics as the API reads them: the rows of {@code show stat} and the fields of {@code show
 * info}, by HAProxy's names, from the same model the runtime socket prints (one implementation behind both). The
 * application adapts {@code io.flagman.proxy.DataPlane} to this port.
 */
public interface RuntimeStats {

    /** The kind of object a row describes (the {@code type} column: 0, 1, 2, 3). */
    enum Kind {
        FRONTEND,
        BACKEND,
        SERVER,
        LISTENER
    }

    /**
     * One row of {@code show stat}.
     *
     * @param proxy {@code pxname}
     * @param name {@code svname} ({@code FRONTEND}, {@code BACKEND}, the server's or listener's name)
     * @param values every non-empty cell by its column name ({@code req_tot}), in column order: a {@code Long} or a
     *     {@code String}; an empty cell is absent (not 0)
     */
    record Row(Kind kind, String proxy, String name, Map<String, Object> values) {
        public Row {
            values = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(values));
        }
    }

    /**
     * One consistent reading of the statistics.
     *
     * @param rows {@code show stat}'s rows, in its order
     * @param info {@code show info}'s set fields by their names ({@code Uptime_sec}), in its order
     */
    record Reading(List<Row> rows, Map<String, Object> info) {
        public Reading {
            rows = List.copyOf(rows);
            info = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(info));
        }
    }

    Reading read();

    /** What the API's {@code runtimeAPI} field names (HAProxy's DPA gives its socket's path). */
    String runtimeApi();

    /** A port with no statistics at all (before the data plane is wired). */
    RuntimeStats NONE = new RuntimeStats() {
        @Override
        public Reading read() {
            return new Reading(List.of(), Map.of());
        }

        @Override
        public String runtimeApi() {
            return "";
        }
    };
}
