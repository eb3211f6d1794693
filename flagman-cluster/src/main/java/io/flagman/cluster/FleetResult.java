package io.flagman.cluster;

/**
 * The outcome of a fleet operation ({@link Fleet}); expected failures are values. Each maps to an HTTP status
 * and a command line exit code.
 *
 * @param <T> the value of a success
 */
public sealed interface FleetResult<T> {

    /** Done; {@code message} says what happened, for people. */
    record Done<T>(T value, String message) implements FleetResult<T> {}

    /**
     * Refused by a rule (source nodes not ready, the target moved meanwhile, nothing to continue).
     * {@code current} is the target channel's pointer when the refusal is about it, else null.
     */
    record Refused<T>(String message, ChannelPointer current) implements FleetResult<T> {}

    /** The request names something that does not exist or makes no sense (no such version, channel, node). */
    record Invalid<T>(String message) implements FleetResult<T> {}

    /** etcd could not be reached within the deadline; nothing changed. */
    record Unavailable<T>(String message) implements FleetResult<T> {}

    /** The message of any outcome. */
    String message();

    /** 200, 409, 400 or 503. */
    default int httpStatus() {
        return switch (this) {
            case Done<T> d -> 200;
            case Refused<T> r -> 409;
            case Invalid<T> i -> 400;
            case Unavailable<T> u -> 503;
        };
    }

    /** 0 when done, 1 otherwise. */
    default int exitCode() {
        return this instanceof Done<T> ? 0 : 1;
    }

    /** The value of a {@link Done}; a bug to call otherwise. */
    default T value() {
        if (this instanceof Done<T> d) {
            return d.value();
        }
        throw new IllegalStateException("not done: " + this);
    }

    /** A store failure as a fleet failure (a conflict becomes a refusal with the current pointer). */
    static <T> FleetResult<T> of(StoreResult<?> failure) {
        return switch (failure) {
            case StoreResult.Ok<?> ok -> throw new IllegalArgumentException("not a failure");
            case StoreResult.Conflict<?> c -> new Refused<>("refused: " + c.message(), c.current());
            case StoreResult.Unavailable<?> u -> new Unavailable<>(u.message());
        };
    }
}
