package io.flagman.proxy.stats;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * {@link Counters} on a clock the test controls (nanoseconds from {@link Counters#ORIGIN}): rates per second over
 * the last second as HAProxy's freq_ctr reads them, the maximum as the most events in one second, sums over loops,
 * and the two kinds of clear.
 */
class CountersTest {
    private static final long S = 1_000_000_000L;

    private static long at(double seconds) {
        return Counters.ORIGIN + (long) (seconds * S);
    }

    private static void ticks(Counters.Slot slot, int n, double from, double to) {
        for (int i = 0; i < n; i++) {
            slot.tick(Counters.RATE_REQUESTS, at(from + (to - from) * i / n));
        }
    }

    @Test
    void aRateIsTheCurrentSecondPlusThePreviousOneWeightedByWhatIsLeftOfIt() {
        Counters c = new Counters();
        ticks(c.slot(0), 10, 5.1, 5.2);
        assertThat(c.read(at(5.5)).rate(Counters.RATE_REQUESTS)).isEqualTo(10);
        assertThat(c.read(at(5.99)).rate(Counters.RATE_REQUESTS)).isEqualTo(10);
        // second 6 has no event yet: second 5 is the previous one, weighted by the 75 % of second 6 to come
        assertThat(c.read(at(6.25)).rate(Counters.RATE_REQUESTS)).isEqualTo(7);
        assertThat(c.read(at(6.5)).rate(Counters.RATE_REQUESTS)).isEqualTo(5);
        assertThat(c.read(at(7.0)).rate(Counters.RATE_REQUESTS)).isZero();
        assertThat(c.read(at(9.0)).rate(Counters.RATE_REQUESTS)).isZero();
    }

    @Test
    void aSteadyRateReadsAsItselfAnywhereInTheSecond() {
        Counters c = new Counters();
        Counters.Slot slot = c.slot(0);
        ticks(slot, 200, 3.0, 5.0); // 100 per second
        ticks(slot, 30, 5.0, 5.3);
        assertThat(c.read(at(5.3)).rate(Counters.RATE_REQUESTS)).isEqualTo(30 + 70);
        assertThat(c.read(at(5.3)).rateMax(Counters.RATE_REQUESTS)).isEqualTo(100);
    }

    @Test
    void anIdleSecondForgetsThePreviousOne() {
        Counters c = new Counters();
        Counters.Slot slot = c.slot(0);
        ticks(slot, 50, 2.0, 2.9);
        ticks(slot, 4, 4.0, 4.1); // second 3 had nothing: the previous second of 4 is empty
        assertThat(c.read(at(4.5)).rate(Counters.RATE_REQUESTS)).isEqualTo(4);
        assertThat(c.read(at(5.5)).rate(Counters.RATE_REQUESTS)).isEqualTo(2);
    }

    @Test
    void theMaximumIsTheMostEventsInOneSecondAndCountsTheCurrentOne() {
        Counters c = new Counters();
        Counters.Slot slot = c.slot(0);
        ticks(slot, 3, 1.0, 1.5);
        ticks(slot, 7, 2.0, 2.5);
        ticks(slot, 2, 3.0, 3.5);
        assertThat(c.read(at(3.6)).rateMax(Counters.RATE_REQUESTS)).isEqualTo(7);
        ticks(slot, 9, 3.6, 3.9); // 11 in second 3 now, not yet rolled into the stored maximum
        assertThat(c.read(at(3.95)).rateMax(Counters.RATE_REQUESTS)).isEqualTo(11);
        assertThat(c.read(at(20)).rateMax(Counters.RATE_REQUESTS)).isEqualTo(11);
    }

    @Test
    void loopsAddUp() {
        Counters c = new Counters();
        ticks(c.slot(0), 10, 1.0, 1.5);
        ticks(c.slot(3), 20, 1.0, 1.5);
        c.slot(0).inc(Counters.REQUESTS);
        c.slot(3).add(Counters.REQUESTS, 4);
        c.slot(3).bytes(100, 1000);
        c.slot(0).response(204);
        c.slot(3).response(503);
        c.slot(3).response(42);
        Counters.Totals t = c.read(at(1.6));
        assertThat(t.rate(Counters.RATE_REQUESTS)).isEqualTo(30);
        assertThat(t.count(Counters.REQUESTS)).isEqualTo(5);
        assertThat(t.count(Counters.BYTES_IN)).isEqualTo(100);
        assertThat(t.count(Counters.BYTES_OUT)).isEqualTo(1000);
        assertThat(t.count(Counters.HRSP_1XX + 1)).isEqualTo(1);
        assertThat(t.count(Counters.HRSP_1XX + 4)).isEqualTo(1);
        assertThat(t.count(Counters.HRSP_OTHER)).isEqualTo(1);
    }

    @Test
    void sessionsCountTheGaugeItsMaximumTheTotalAndTheSessionRate() {
        Counters c = new Counters();
        c.slot(0).enter(at(1.0));
        c.slot(0).enter(at(1.1));
        c.slot(1).enter(at(1.2));
        c.slot(0).leave();
        Counters.Totals t = c.read(at(1.3));
        assertThat(t.current()).isEqualTo(2);
        assertThat(t.maxCurrent()).isEqualTo(3); // 2 on loop 0 + 1 on loop 1
        assertThat(t.count(Counters.SESSIONS)).isEqualTo(3);
        assertThat(t.rate(Counters.RATE_SESSIONS)).isEqualTo(3);
        assertThat(t.lastSessionNanos()).isEqualTo(at(1.2));
    }

    @Test
    void clearResetsMaximaAndClearAllEverythingButTheGauge() {
        Counters c = new Counters();
        c.slot(0).enter(at(1.0));
        c.slot(0).enter(at(1.0));
        c.slot(0).leave();
        ticks(c.slot(0), 8, 1.0, 1.5);
        c.slot(0).inc(Counters.REQUESTS);
        c.slot(0).times(1, 2, 30, 40);

        c.clear(false);
        Counters.Totals t = c.read(at(5));
        assertThat(t.count(Counters.REQUESTS)).as("a counter survives clear counters").isEqualTo(1);
        assertThat(t.rateMax(Counters.RATE_REQUESTS)).isZero();
        assertThat(t.maxCurrent()).isEqualTo(1);
        assertThat(t.maxTime(Counters.T_TOTAL)).isZero();
        assertThat(t.averageTime(Counters.T_TOTAL)).isEqualTo(40);

        c.slot(0).inc(Counters.REQUESTS); // the loop catches up with the clear at its next event
        c.clear(true);
        t = c.read(at(5));
        assertThat(t.count(Counters.REQUESTS)).isZero();
        assertThat(t.averageTime(Counters.T_TOTAL)).isZero();
        assertThat(t.current()).as("the gauge is not a counter").isEqualTo(1);
        c.slot(0).inc(Counters.REQUESTS);
        assertThat(c.read(at(5)).count(Counters.REQUESTS)).isEqualTo(1);
    }

    @Test
    void timesAreAveragedOverTheLast1024Requests() {
        Counters c = new Counters();
        for (int i = 0; i < 1024; i++) {
            c.slot(0).times(-1, 0, 10, 20);
        }
        assertThat(c.read(at(1)).averageTime(Counters.T_RESPONSE)).isEqualTo(10);
        for (int i = 0; i < 4096; i++) {
            c.slot(0).times(-1, 0, 50, 60);
        }
        Counters.Totals t = c.read(at(1));
        assertThat(t.averageTime(Counters.T_RESPONSE)).isBetween(48L, 50L);
        assertThat(t.averageTime(Counters.T_QUEUE)).isZero();
        assertThat(t.maxTime(Counters.T_TOTAL)).isEqualTo(60);
    }
}
