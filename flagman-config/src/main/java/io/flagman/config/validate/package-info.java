/**
 * The meaning layer of the configuration language: checks that a parsed {@link io.flagman.config.model.Config}
 * makes sense as a whole (references resolve, names are unique, files exist, regexes compile, binds do not
 * collide, everything can take effect in its proxy's mode) and reports every problem as a
 * {@link io.flagman.config.text.Diagnostic}.
 *
 * <p>Depends only on {@code io.flagman.config.model}, {@code io.flagman.config.text} and
 * {@code io.flagman.config.parse}'s predefined ACLs and fetch catalogue ({@code SampleFetches}); never on the
 * data plane.
 */
package io.flagman.config.validate;
