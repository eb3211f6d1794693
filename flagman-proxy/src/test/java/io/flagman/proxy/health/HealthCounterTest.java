package io.flagman.proxy.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.flagman.proxy.health.HealthCounter.Change;
import org.junit.jupiter.api.Test;

class HealthCounterTest {

    @Test
    void startsUpButFallsAtTheFirstFailureAsHaproxyDoes() {
        HealthCounter c = new HealthCounter(2, 3);
        assertThat(c.up()).isTrue();
        assertThat(c.record(false)).isEqualTo(Change.WENT_DOWN);
        assertThat(c.state()).isEqualTo("DOWN");
    }

    @Test
    void goesDownOnlyAfterFallConsecutiveFailuresOnceFullyUp() {
        HealthCounter c = new HealthCounter(2, 3);
        assertThat(c.record(true)).isEqualTo(Change.NONE);
        assertThat(c.state()).isEqualTo("UP");
        assertThat(c.record(false)).isEqualTo(Change.NONE);
        assertThat(c.state()).isEqualTo("UP 2/3");
        assertThat(c.record(false)).isEqualTo(Change.NONE);
        assertThat(c.state()).isEqualTo("UP 1/3");
        assertThat(c.record(true)).isEqualTo(Change.NONE); // a success in between restarts the count
        assertThat(c.state()).isEqualTo("UP");
        assertThat(c.record(false)).isEqualTo(Change.NONE);
        assertThat(c.record(false)).isEqualTo(Change.NONE);
        assertThat(c.record(false)).isEqualTo(Change.WENT_DOWN);
    }

    @Test
    void comesUpOnlyAfterRiseConsecutiveSuccesses() {
        HealthCounter c = new HealthCounter(3, 2);
        c.record(false);
        assertThat(c.record(true)).isEqualTo(Change.NONE);
        assertThat(c.state()).isEqualTo("DOWN 1/3");
        assertThat(c.record(false)).isEqualTo(Change.NONE); // flapping never reaches rise
        assertThat(c.record(true)).isEqualTo(Change.NONE);
        assertThat(c.record(true)).isEqualTo(Change.NONE);
        assertThat(c.record(true)).isEqualTo(Change.WENT_UP);
        assertThat(c.state()).isEqualTo("UP");
    }

    @Test
    void flappingEveryCheckNeverChangesStateOnceSettled() {
        HealthCounter c = new HealthCounter(2, 3);
        c.record(true);
        for (int i = 0; i < 20; i++) {
            assertThat(c.record(i % 2 == 0)).isEqualTo(Change.NONE);
        }
        assertThat(c.up()).isTrue();
    }

    @Test
    void reconfigureKeepsTheState() {
        HealthCounter up = new HealthCounter(2, 3);
        up.record(true);
        up.reconfigure(5, 5);
        assertThat(up.up()).isTrue();
        HealthCounter down = new HealthCounter(2, 3);
        down.record(false);
        down.reconfigure(1, 1);
        assertThat(down.up()).isFalse();
        assertThat(down.record(true)).isEqualTo(Change.WENT_UP);
    }

    @Test
    void resultsDescribeThemselvesInHaproxysWords() {
        assertThat(new CheckResult(CheckStatus.L4CON, 0, "Connection refused", 0).describe())
                .isEqualTo("reason: Layer4 connection problem, info: \"Connection refused\", check duration: 0ms");
        assertThat(new CheckResult(CheckStatus.L7STS, 500, "Internal Server Error", 3).describe())
                .isEqualTo("reason: Layer7 wrong status, code: 500, info: \"Internal Server Error\", "
                        + "check duration: 3ms");
        assertThat(CheckRun.info(new java.net.ConnectException("connect(..) failed: Connection refused")))
                .isEqualTo("Connection refused");
    }
}
