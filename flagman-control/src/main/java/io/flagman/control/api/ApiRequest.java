package io.flagman.control.api;

import java.util.List;
import java.util.Map;

/**
 * One API request, fully read (the body is aggregated up to the size limit).
 *
 * @param path the decoded path, without a trailing slash
 * @param query the first value of each query parameter (unknown ones are simply never read)
 * @param headers lower-case header names to their first value
 */
public record ApiRequest(String method, String path, Map<String, String> query, Map<String, String> headers,
        byte[] body, String remoteAddress) {

    public ApiRequest {
        query = Map.copyOf(query);
        headers = Map.copyOf(headers);
        body = body == null ? new byte[0] : body;
    }

    public String header(String name) {
        return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }

    public String param(String name) {
        return query.get(name);
    }

    /** The path split into segments (percent-decoded), empty segments removed. */
    public List<String> segments() {
        return java.util.Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
    }
}
