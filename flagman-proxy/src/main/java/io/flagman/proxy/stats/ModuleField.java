package io.flagman.proxy.stats;

import java.util.List;

/**
 * The module columns HAProxy 3.2 prints after the {@code -} separator column of {@code show stat} ({@code ssl_*},
 * {@code h2_*}, {@code h1_*}, in registration order). In {@code typed}/{@code json} output they continue at
 * position 113 ({@link #position()}), without the separator. All are {@code u64}.
 */
public enum ModuleField {
    SSL_SESS("ssl_sess", "LFBS", "MCP"),
    SSL_REUSED_SESS("ssl_reused_sess", "LFBS", "MCP"),
    SSL_FAILED_HANDSHAKE("ssl_failed_handshake", "LFBS", "MCP"),
    SSL_OCSP_STAPLE("ssl_ocsp_staple", "LFBS", "MCP"),
    SSL_FAILED_OCSP_STAPLE("ssl_failed_ocsp_staple", "LFBS", "MCP"),
    H2_HEADERS_RCVD("h2_headers_rcvd", "FB", "MCP"),
    H2_DATA_RCVD("h2_data_rcvd", "FB", "MCP"),
    H2_SETTINGS_RCVD("h2_settings_rcvd", "FB", "MCP"),
    H2_RST_STREAM_RCVD("h2_rst_stream_rcvd", "FB", "MCP"),
    H2_GOAWAY_RCVD("h2_goaway_rcvd", "FB", "MCP"),
    H2_DETECTED_CONN_PROTOCOL_ERRORS("h2_detected_conn_protocol_errors", "FB", "MCP"),
    H2_DETECTED_STRM_PROTOCOL_ERRORS("h2_detected_strm_protocol_errors", "FB", "MCP"),
    H2_RST_STREAM_RESP("h2_rst_stream_resp", "FB", "MCP"),
    H2_GOAWAY_RESP("h2_goaway_resp", "FB", "MCP"),
    H2_OPEN_CONNECTIONS("h2_open_connections", "FB", "MGP"),
    H2_BACKEND_OPEN_STREAMS("h2_backend_open_streams", "FB", "MGP"),
    H2_TOTAL_CONNECTIONS("h2_total_connections", "FB", "MCP"),
    H2_BACKEND_TOTAL_STREAMS("h2_backend_total_streams", "FB", "MCP"),
    H1_OPEN_CONNECTIONS("h1_open_connections", "FB", "MGP"),
    H1_OPEN_STREAMS("h1_open_streams", "FB", "MGP"),
    H1_TOTAL_CONNECTIONS("h1_total_connections", "FB", "MCP"),
    H1_TOTAL_STREAMS("h1_total_streams", "FB", "MCP"),
    H1_BYTES_IN("h1_bytes_in", "FB", "MCP"),
    H1_BYTES_OUT("h1_bytes_out", "FB", "MCP"),
    H1_SPLICED_BYTES_IN("h1_spliced_bytes_in", "FB", "MCP"),
    H1_SPLICED_BYTES_OUT("h1_spliced_bytes_out", "FB", "MCP");

    /** Every module column, in order. */
    public static final List<ModuleField> ALL = List.of(values());

    private final String fieldName;
    private final String objects;
    private final String tags;

    ModuleField(String fieldName, String objects, String tags) {
        this.fieldName = fieldName;
        this.objects = objects;
        this.tags = tags;
    }

    public String fieldName() {
        return fieldName;
    }

    /** The position in {@code typed}/{@code json} output: 113 and up. */
    public int position() {
        return StatField.ALL.size() + ordinal();
    }

    public boolean appliesTo(StatObject object) {
        return object.in(objects);
    }

    public String tags() {
        return tags;
    }

    public StatType type() {
        return StatType.U64;
    }
}
