/**
 * Compiled conditions, ACLs, sample fetches and log-format strings: built once per snapshot from the model's
 * {@code Condition}, {@code AclTest} and {@code LogFormat}, evaluated on the event loops without locks, blocking
 * or exceptions. Depends only on {@code io.flagman.config.model}.
 */
package io.flagman.proxy.rule;
