package io.flagman.proxy.rule;

/** A compiled {@code if|unless} condition or ACL: evaluated on the event loop, never blocks, never throws. */
@FunctionalInterface
public interface RequestPredicate {

    RequestPredicate ALWAYS = s -> true;

    boolean test(SampleSource sample);
}
