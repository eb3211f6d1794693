package io.flagman.proxy.service;

import io.netty.handler.codec.http.FullHttpResponse;

/** The answer of {@code use-service prometheus-exporter}: HAProxy's reply headers around the exposition text. */
public final class PrometheusService {

    static final String CONTENT_TYPE = "text/plain; version=0.0.4";

    private PrometheusService() {}

    /** Renders a scrape of {@code uri}; a 400 when its {@code scope} is unknown. On the event loop. */
    public static FullHttpResponse respond(StatsView stats, String uri) {
        PrometheusExporter.Query q = PrometheusExporter.parse(Responses.query(uri));
        if (q == null) {
            return Responses.text(400, "text/plain", "Unsupported scope\n");
        }
        if (q.unsupported() != null) {
            return Responses.text(400, "text/plain", "Flagman's exporter does not support the '" + q.unsupported()
                    + "' parameter yet\n");
        }
        var rows = stats.statistics();
        return Responses.text(200, CONTENT_TYPE, PrometheusExporter.render(rows, stats.info(rows), q));
    }
}
