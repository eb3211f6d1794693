package io.flagman.control.service;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flagman.control.ApiException;
import io.flagman.control.model.Json;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reload records for clients that follow the Data Plane API's {@code Reload-Id}. Flagman applies every change
 * in-process before it answers, so each record is {@code succeeded} from the moment it exists.
 */
public final class Reloads {

    private record Reload(String id, LocalDate date, long index, long timestamp) {}

    private final Clock clock;
    private final AtomicLong counter = new AtomicLong();
    private volatile Reload last;

    public Reloads(Clock clock) {
        this.clock = clock;
    }

    /** Records a completed apply and returns its id ({@code YYYY-MM-DD-<n>}). */
    public String record() {
        LocalDate date = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        long index = counter.getAndIncrement();
        Reload r = new Reload(date + "-" + index, date, index, clock.instant().getEpochSecond());
        last = r;
        return r.id();
    }

    public ArrayNode list() {
        ArrayNode out = Json.array();
        Reload r = last;
        if (r != null) {
            out.add(json(r.id(), r.timestamp()));
        }
        return out;
    }

    public ObjectNode get(String id) {
        Reload r = last;
        if (r != null && r.id().equals(id)) {
            return json(id, r.timestamp());
        }
        if (r != null && id.matches("^\\d{4}-\\d{2}-\\d{2}-\\d+$")) {
            LocalDate date;
            long index;
            try {
                date = LocalDate.parse(id.substring(0, 10));
                index = Long.parseLong(id.substring(11));
            } catch (RuntimeException e) {
                throw new ApiException(404, "Reload with ID " + id + " does not exist");
            }
            if (date.isBefore(r.date()) || (date.equals(r.date()) && index < r.index())) {
                ObjectNode o = Json.object();
                o.put("id", id);
                o.put("status", "succeeded");
                return o;
            }
        }
        throw new ApiException(404, "Reload with ID " + id + " does not exist");
    }

    private static ObjectNode json(String id, long timestamp) {
        ObjectNode o = Json.object();
        o.put("id", id);
        o.put("reload_timestamp", timestamp);
        o.put("response", "applied live by Flagman (no process reload)");
        o.put("status", "succeeded");
        return o;
    }
}
