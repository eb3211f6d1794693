package io.flagman.control.auth;

import io.flagman.config.auth.BasicCredentials;
import io.flagman.config.auth.CredentialCache;
import io.flagman.config.auth.Crypt;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * HTTP Basic authentication against a fixed set of users. Immutable; the control plane swaps in a new one when
 * the userlist changes.
 *
 * <p>Every check takes the same path whether the user exists or not: an unknown user is checked against a dummy
 * SHA-512-crypt hash and then refused, so timing does not reveal which user names exist. Clear-text
 * ({@code insecure-password}) comparisons compare SHA-256 digests with {@link Crypt#matches}. The header is parsed
 * by {@link BasicCredentials}, the data plane's parser too (so its length cap applies), and outcomes are kept in a
 * {@link CredentialCache}: a client repeating its credentials costs one SHA-256, not one crypt, per request.
 */
public final class Authenticator {

    /** A user allowed on the API: {@code secure} means {@code password} is a crypt hash. */
    public record User(String name, String password, boolean secure) {}

    /** Outcome of a check; {@code message} is the 401 body message when not {@code ok}. */
    public record Result(boolean ok, String user, String message) {}

    private static final String DUMMY_HASH =
            "$6$flagmandummysal$hK1Yb4E8mJ0y3l6n2vQdx1Qe0Q6aXKq3oXc3x0KxUu9m9tD1uOX0vq3C6x0kY1a2lK8s5qY7wZ1c0bV3n4m5a.";

    private final Map<String, User> users;
    private final CredentialCache cache = new CredentialCache(CredentialCache.DEFAULT_CAPACITY, this::matches);

    public Authenticator(List<User> users) {
        Map<String, User> m = new LinkedHashMap<>();
        for (User u : users) {
            m.putIfAbsent(u.name(), u);
        }
        this.users = Map.copyOf(m);
    }

    public boolean hasUsers() {
        return !users.isEmpty();
    }

    public int size() {
        return users.size();
    }

    /** Checks an {@code Authorization} header value (null when absent). */
    public Result check(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            return new Result(false, null, "missing or invalid authorization");
        }
        if (users.isEmpty()) {
            return new Result(false, null, "no configured users");
        }
        Optional<BasicCredentials> credentials = BasicCredentials.parse(authorization);
        if (credentials.isEmpty()) {
            return new Result(false, null, "missing or invalid authorization");
        }
        BasicCredentials c = credentials.get();
        return cache.verify(authorization, c) ? new Result(true, c.user(), null)
                : new Result(false, null, "unauthorized");
    }

    private boolean matches(BasicCredentials c) {
        User user = users.get(c.user());
        if (user == null) {
            Crypt.verify(c.password(), DUMMY_HASH);
            return false;
        }
        return Crypt.matches(c.password(), user.password(), user.secure());
    }
}
