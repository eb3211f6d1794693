package io.flagman.proxy.rule;

/**
 * One compiled sample fetch (with its converters). In an ACL every value is tested ({@code hdr} yields each
 * comma-separated value of each line); in a log-format or sample context one value is produced ({@code hdr}: the
 * last one, as in HAProxy). Never throws; "no sample" is false / null.
 */
interface Sampler {

    /** True when {@code matcher} accepts at least one value of the fetch. */
    boolean anyMatch(SampleSource sample, ValueMatcher matcher);

    /** The single value as text ({@code src} → IP text, booleans → 0/1), or null when there is none. */
    String text(SampleSource sample);
}
