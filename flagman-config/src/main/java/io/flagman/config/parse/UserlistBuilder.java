package io.flagman.config.parse;

import io.flagman.config.model.Userlist;
import java.util.ArrayList;
import java.util.List;

/** What one userlist section says. */
final class UserlistBuilder {
    final String name;
    final int line;
    final List<Userlist.User> users = new ArrayList<>();
    final List<Userlist.Group> groups = new ArrayList<>();

    UserlistBuilder(String name, int line) {
        this.name = name;
        this.line = line;
    }

    Userlist build() {
        return new Userlist(name, users, groups, line);
    }
}
