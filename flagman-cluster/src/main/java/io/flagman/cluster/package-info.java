/**
 * The fleet: immutable configuration versions, channel pointers, node reports and history kept in etcd
 * ({@link io.flagman.cluster.EtcdStore}), and the operations over them ({@link io.flagman.cluster.Fleet}).
 * Reaches the data plane only through ports; never imports {@code io.flagman.proxy}.
 */
package io.flagman.cluster;
