package io.flagman.proxy.health;

/**
 * HAProxy's health hysteresis for one server. {@code health} runs from 0 to {@code rise + fall - 1}; the server is
 * UP while {@code health >= rise}. A success while DOWN counts up and, on reaching {@code rise}, jumps to the top
 * (fully UP); a failure while UP counts down and, falling below {@code rise}, drops to 0 (DOWN). So a state changes
 * only after {@code rise} consecutive successes or {@code fall} consecutive failures; a result of the other kind in
 * between starts the count again.
 *
 * <p>As in HAProxy a checked server starts with {@code health = rise}: UP, but going DOWN at the first failure
 * (HAProxy's {@code srv->check.health = srv->check.rise; /* up, but will fall down at first failure *}{@code /}).
 * Confined to its checker's event loop.
 */
final class HealthCounter {
    /** What a result did to the server's state. */
    enum Change {
        NONE,
        WENT_UP,
        WENT_DOWN
    }

    private int rise;
    private int fall;
    private int health;

    HealthCounter(int rise, int fall) {
        this.rise = Math.max(1, rise);
        this.fall = Math.max(1, fall);
        this.health = this.rise;
    }

    boolean up() {
        return health >= rise;
    }

    int health() {
        return health;
    }

    Change record(boolean passed) {
        boolean wasUp = up();
        if (passed) {
            if (health < rise + fall - 1) {
                health++;
                if (health >= rise) {
                    health = rise + fall - 1;
                }
            }
        } else if (health > 0) {
            health--;
            if (health < rise) {
                health = 0;
            }
        }
        if (wasUp == up()) {
            return Change.NONE;
        }
        return wasUp ? Change.WENT_DOWN : Change.WENT_UP;
    }

    /** New rise/fall from an apply: the UP/DOWN state stays, partial progress is kept where it still fits. */
    void reconfigure(int newRise, int newFall) {
        newRise = Math.max(1, newRise);
        newFall = Math.max(1, newFall);
        if (newRise == rise && newFall == fall) {
            return;
        }
        boolean wasUp = up();
        int max = newRise + newFall - 1;
        health = wasUp ? Math.max(newRise, Math.min(max, health - rise + newRise)) : Math.min(health, newRise - 1);
        rise = newRise;
        fall = newFall;
    }

    /** HAProxy's stats wording: {@code UP}, {@code UP 1/3} (going down), {@code DOWN}, {@code DOWN 1/2} (going up). */
    String state() {
        if (up()) {
            int max = rise + fall - 1;
            return health == max ? "UP" : "UP " + (health - rise + 1) + "/" + fall;
        }
        return health == 0 ? "DOWN" : "DOWN " + health + "/" + rise;
    }
}
