/**
 * The {@code flagman} program: command line, wiring of data plane and control plane, process lifecycle.
 * Depends on every other module; nothing depends on it.
 */
package io.flagman.app;
