package io.flagman.cluster;

import java.util.function.Function;

/**
 * The outcome of a store operation: the expected failures are values, not exceptions.
 *
 * @param <T> the value of a success
 */
public sealed interface StoreResult<T> {

    /** Done. */
    record Ok<T>(T value) implements StoreResult<T> {}

    /** A compare-and-set lost: {@code current} is the channel pointer as it is now (null: channel missing). */
    record Conflict<T>(ChannelPointer current, String message) implements StoreResult<T> {}

    /** etcd could not be reached (or answered wrongly) within the deadline; nothing was changed by us. */
    record Unavailable<T>(String message) implements StoreResult<T> {}

    static <T> StoreResult<T> ok(T value) {
        return new Ok<>(value);
    }

    static <T> StoreResult<T> unavailable(String message) {
        return new Unavailable<>(message);
    }

    /** True for {@link Ok}. */
    default boolean isOk() {
        return this instanceof Ok<T>;
    }

    /** The value of an {@link Ok}; a bug to call otherwise. */
    default T value() {
        if (this instanceof Ok<T> ok) {
            return ok.value();
        }
        throw new IllegalStateException("not ok: " + this);
    }

    /** The failure's message, or null for {@link Ok}. */
    default String message() {
        return switch (this) {
            case Ok<T> ok -> null;
            case Conflict<T> c -> c.message();
            case Unavailable<T> u -> u.message();
        };
    }

    /** The same failure with another value type; a bug to call on {@link Ok}. */
    @SuppressWarnings("unchecked")
    default <U> StoreResult<U> failure() {
        if (this instanceof Ok<T>) {
            throw new IllegalStateException("not a failure");
        }
        return (StoreResult<U>) this;
    }

    /** {@code f} applied to an {@link Ok}'s value; failures unchanged. */
    default <U> StoreResult<U> map(Function<T, U> f) {
        return this instanceof Ok<T> ok ? new Ok<>(f.apply(ok.value())) : failure();
    }
}
