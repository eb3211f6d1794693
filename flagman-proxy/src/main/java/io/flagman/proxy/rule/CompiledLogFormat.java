package io.flagman.proxy.rule;

/** A compiled log-format string ({@code %[fetch,converter]} items and literal text). */
@FunctionalInterface
public interface CompiledLogFormat {

    String render(SampleSource sample);
}
