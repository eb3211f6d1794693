package io.flagman.app;

import io.flagman.control.RuntimeStats;
import io.flagman.proxy.DataPlane;
import io.flagman.proxy.stats.InfoField;
import io.flagman.proxy.stats.ProcessInfo;
import io.flagman.proxy.stats.StatField;
import io.flagman.proxy.stats.StatRow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adapts the data plane's statistics model ({@link DataPlane#statistics()}, {@link DataPlane#info}) to the control
 * plane's {@link RuntimeStats} port: the API's {@code stats/native} and {@code runtime/info} read the very rows
 * and fields the runtime socket renders.
 */
final class DataPlaneStats implements RuntimeStats {

    /** What {@code runtimeAPI} says when the configuration has no {@code stats socket}. */
    static final String IN_PROCESS = "flagman (in-process)";

    private final DataPlane dataPlane;

    DataPlaneStats(DataPlane dataPlane) {
        this.dataPlane = dataPlane;
    }

    @Override
    public Reading read() {
        List<StatRow> rows = dataPlane.statistics();
        List<Row> out = new ArrayList<>(rows.size());
        for (StatRow r : rows) {
            out.add(new Row(Kind.valueOf(r.object().name()), r.proxy(), r.name(), cells(r)));
        }
        return new Reading(out, fields(dataPlane.info(rows)));
    }

    @Override
    public String runtimeApi() {
        List<io.flagman.config.model.StatsSocket> sockets = dataPlane.snapshot().config().global().statsSockets();
        return sockets.isEmpty() ? IN_PROCESS : text(sockets.getFirst());
    }

    /** A unix socket's path (what HAProxy's DPA shows), else the address as written. */
    private static String text(io.flagman.config.model.StatsSocket socket) {
        return socket.address().path() != null ? socket.address().path() : socket.address().text();
    }

    private static Map<String, Object> cells(StatRow r) {
        Map<String, Object> cells = new LinkedHashMap<>();
        for (StatField f : StatField.ALL) {
            Object v = r.value(f);
            if (v != null) {
                cells.put(f.fieldName(), v);
            }
        }
        return cells;
    }

    private static Map<String, Object> fields(ProcessInfo info) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (InfoField f : InfoField.ALL) {
            Object v = info.value(f);
            if (v != null) {
                fields.put(f.fieldName(), v);
            }
        }
        return fields;
    }
}
