/**
 * Server selection ({@code balance} algorithms) over live {@link io.flagman.proxy.balance.Candidate}s. One
 * balancer per backend per snapshot, shared by every event loop. Depends on {@code io.flagman.config.model} and
 * {@code io.flagman.proxy.rule}.
 */
package io.flagman.proxy.balance;
