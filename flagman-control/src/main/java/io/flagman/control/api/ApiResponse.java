package io.flagman.control.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flagman.control.model.Json;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** One API response: status, headers and body. */
public final class ApiResponse {

    private final int status;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final byte[] body;

    private ApiResponse(int status, String contentType, byte[] body) {
        this.status = status;
        this.body = body;
        if (contentType != null) {
            headers.put("Content-Type", contentType);
        }
    }

    public static ApiResponse json(int status, JsonNode node) {
        return new ApiResponse(status, "application/json", (Json.write(node) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** A bare JSON value written as is ({@code 42\n} for the version). */
    public static ApiResponse jsonText(int status, String text) {
        return new ApiResponse(status, "application/json", text.getBytes(StandardCharsets.UTF_8));
    }

    public static ApiResponse text(int status, String text) {
        return new ApiResponse(status, "text/plain", text.getBytes(StandardCharsets.UTF_8));
    }

    public static ApiResponse empty(int status) {
        return new ApiResponse(status, null, new byte[0]);
    }

    public static ApiResponse error(int status, String message) {
        ObjectNode o = Json.object();
        o.put("code", status);
        o.put("message", message);
        return json(status, o);
    }

    public ApiResponse header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public int status() {
        return status;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public byte[] body() {
        return body;
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
