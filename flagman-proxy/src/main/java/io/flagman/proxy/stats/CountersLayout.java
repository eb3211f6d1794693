package io.flagman.proxy.stats;

/**
 * The memory layout of {@link Counters}: its two fields read on every event ({@code slots}, {@code generation})
 * between 64 bytes of padding on each side (superclass fields come first in HotSpot's layout), so that no other
 * object sharing their cache line (the server's {@code active} counter, which both loops CAS per request, is
 * allocated right before a server's counters) makes every lookup a cache miss.
 */
abstract class CountersPadBefore {
    long p01, p02, p03, p04, p05, p06, p07, p08;
}

/** See {@link CountersPadBefore}. */
abstract class CountersFields extends CountersPadBefore {
    /** The loops' slots by {@link LoopIndex}; replaced (copy on write) when a loop takes its first one. */
    volatile Counters.Slot[] slots = new Counters.Slot[0];
    /** High 32 bits: clears of everything; low 32 bits: clears of maxima. */
    volatile long generation;
}

/** See {@link CountersPadBefore}. */
abstract class CountersPadAfter extends CountersFields {
    long q01, q02, q03, q04, q05, q06, q07, q08;
}
