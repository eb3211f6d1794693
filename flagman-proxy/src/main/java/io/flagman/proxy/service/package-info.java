/**
 * Services the data plane answers itself, without a server: HAProxy's Prometheus exporter ({@code http-request
 * use-service prometheus-exporter}) and the stats page ({@code stats enable}). They render on the event loop from
 * counters and live state (cheap reads) and never block.
 */
package io.flagman.proxy.service;
