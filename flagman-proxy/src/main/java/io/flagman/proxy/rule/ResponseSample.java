package io.flagman.proxy.rule;

import java.util.List;

/**
 * A {@link SampleSource} that also carries the server's response, for {@code http-response} rules: the
 * {@code status} and {@code res.hdr(...)} fetches read it. Against a plain request sample those fetches find no
 * value (a condition on them is false), as in HAProxy where response fetches are unavailable on requests.
 */
public interface ResponseSample extends SampleSource {

    /** The response status code. */
    int status();

    /** Every value of response header {@code name} (case-insensitive), one entry per line; never null. */
    List<String> responseHeaderValues(String name);
}
