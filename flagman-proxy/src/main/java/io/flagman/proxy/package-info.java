/**
 * The data plane's core: {@link io.flagman.proxy.DataPlane} (apply a configuration without dropping
 * anything), the compiled, immutable {@link io.flagman.proxy.Snapshot} every request reads once, and the runtime
 * forms of frontends and backends. Public types other than DataPlane, ApplyException and the stats are internal
 * to the data plane's packages, but {@link io.flagman.proxy.WhatIf} (what-if routing with the same compiled rules). Never
 * imports the control plane.
 */
package io.flagman.proxy;
