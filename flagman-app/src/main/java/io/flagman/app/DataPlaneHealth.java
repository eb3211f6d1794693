package io.flagman.app;

import io.flagman.cluster.Health;
import io.flagman.cluster.NodeHealth;
import io.flagman.proxy.DataPlane;
import io.flagman.proxy.stats.StatField;
import io.flagman.proxy.stats.StatObject;
import io.flagman.proxy.stats.StatRow;
import java.util.ArrayList;
import java.util.List;

/**
 * Adapts the data plane's statistics ({@link DataPlane#statistics()}, the rows of {@code show stat}) to the cluster's
 * {@link NodeHealth} port: servers UP (status {@code UP …} or {@code no check}) and DOWN (status {@code DOWN …},
 * named {@code backend/server}), and the HTTP requests and 5xx responses counted on the frontends. Servers in
 * maintenance or drain are neither: an operator put them there.
 */
final class DataPlaneHealth implements NodeHealth {

    private final DataPlane dataPlane;

    DataPlaneHealth(DataPlane dataPlane) {
        this.dataPlane = dataPlane;
    }

    @Override
    public Health read() {
        int up = 0;
        List<String> down = new ArrayList<>();
        long requests = 0;
        long http5xx = 0;
        for (StatRow r : dataPlane.statistics()) {
            if (r.object() == StatObject.SERVER) {
                String status = r.text(StatField.STATUS);
                if (status == null) {
                    continue;
                }
                if (status.startsWith("UP") || status.equals("no check")) {
                    up++;
                } else if (status.startsWith("DOWN")) {
                    down.add(r.proxy() + "/" + r.name());
                }
            } else if (r.object() == StatObject.FRONTEND) {
                requests += number(r.value(StatField.REQ_TOT));
                http5xx += number(r.value(StatField.HRSP_5XX));
            }
        }
        return new Health(up, down.size(), down, requests, http5xx);
    }

    private static long number(Object v) {
        return v instanceof Number n ? n.longValue() : 0;
    }
}
