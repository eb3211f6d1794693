package io.flagman.config.model;

import java.util.List;
import java.util.Optional;

/** A {@code userlist} section: users for {@code http-request auth} and for the API. */
public record Userlist(String name, List<User> users, List<Group> groups, int line) {

    public Userlist {
        users = List.copyOf(users);
        groups = List.copyOf(groups);
    }

    public Optional<User> user(String userName) {
        return users.stream().filter(u -> u.name().equals(userName)).findFirst();
    }

    /**
     * {@code user <name> password <crypt-hash>|insecure-password <text> [groups a,b]}.
     *
     * @param secure true when {@code password} holds a crypt(3) hash
     */
    public record User(String name, String password, boolean secure, List<String> groups) {
        public User {
            groups = List.copyOf(groups);
        }
    }

    /** {@code group <name> [users a,b]}. */
    public record Group(String name, List<String> users) {
        public Group {
            users = List.copyOf(users);
        }
    }
}
