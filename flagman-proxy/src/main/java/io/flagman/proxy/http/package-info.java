/**
 * HTTP/1.1 mode: one {@link io.flagman.proxy.http.HttpFrontendHandler} per client connection (strict parsing,
 * rules, routing, pooled upstreams on the same event loop, streaming with backpressure), compiled
 * http-request/http-response rules, error pages and the httplog line.
 */
package io.flagman.proxy.http;
