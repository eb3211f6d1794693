/**
 * The configuration as one immutable value: records for every section and directive Flagman runs.
 *
 * <p>Depends on nothing outside {@code java.*}; the data plane and the control plane read these records and
 * never mutate them. A change is a new {@link io.flagman.config.model.Config}.
 */
package io.flagman.config.model;
