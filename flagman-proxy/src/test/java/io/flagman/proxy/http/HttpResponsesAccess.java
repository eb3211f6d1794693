package io.flagman.proxy.http;

/** {@link HttpResponses} for fuzz tests of other packages. */
public final class HttpResponsesAccess {
    private HttpResponsesAccess() {}

    /** Checks that {@code bytes} are a sequence of well-formed HTTP/1 responses; returns how many. */
    public static int parse(byte[] bytes) {
        return HttpResponses.parse(bytes).size();
    }
}
