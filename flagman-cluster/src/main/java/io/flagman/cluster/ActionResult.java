package io.flagman.cluster;

/** A node's answer to a {@link FleetAction} ({@code <p>/results/<id>/<node>}, lease 60 s). */
public record ActionResult(String node, boolean ok, String output) {}
