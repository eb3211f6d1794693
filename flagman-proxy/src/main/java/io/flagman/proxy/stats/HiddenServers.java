package io.flagman.proxy.stats;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * HAProxy's {@code up} and {@code no-maint} options of {@code show stat} and of the stats page ({@code ;up},
 * {@code ;no-maint}): {@code no-maint} hides servers in maintenance, {@code up} also hides servers that are DOWN
 * and not recovering; either adds {@code " (<servers not stopped>/<servers>)"} to the backends' status, as HAProxy
 * 2.6 does.
 */
public final class HiddenServers {
    private HiddenServers() {}

    /** {@code rows} without the hidden servers ({@code down}: {@code up}, else {@code no-maint}). */
    public static List<StatRow> hide(List<StatRow> rows, boolean down) {
        Map<Integer, int[]> counts = new HashMap<>(); // iid -> {not stopped, total}
        List<StatRow> kept = new ArrayList<>();
        for (StatRow r : rows) {
            if (r.object() == StatObject.SERVER) {
                String status = r.text(StatField.STATUS);
                boolean hidden = status.startsWith("MAINT") || (down && status.equals("DOWN"));
                int[] c = counts.computeIfAbsent(r.iid(), k -> new int[2]);
                c[1]++;
                if (!status.startsWith("MAINT") && !status.startsWith("DOWN")) {
                    c[0]++; // not stopped
                }
                if (hidden) {
                    continue;
                }
            }
            kept.add(r);
        }
        List<StatRow> out = new ArrayList<>(kept.size());
        for (StatRow r : kept) {
            int[] c = counts.getOrDefault(r.iid(), new int[2]);
            out.add(r.object() == StatObject.BACKEND
                    ? r.with(StatField.STATUS, r.text(StatField.STATUS) + " (" + c[0] + "/" + c[1] + ")") : r);
        }
        return out;
    }
}
