package io.flagman.config.parse;

import io.flagman.config.model.Userlist;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** {@code group <name> [users <user>[,<user>…]]} in a userlist. */
final class GroupKeyword implements Keyword<UserlistBuilder> {

    static final GroupKeyword INSTANCE = new GroupKeyword();

    @Override
    public String name() {
        return "group";
    }

    @Override
    public String usage() {
        return "group <name> [users <user>[,<user>…]]";
    }

    @Override
    public String summary() {
        return "a named group of users";
    }

    @Override
    public Set<Scope> scopes() {
        return EnumSet.of(Scope.USERLIST);
    }

    @Override
    public void parse(Directive d, UserlistBuilder target) {
        String name = d.word(1);
        if (name == null) {
            d.missing(1, "a group name");
            return;
        }
        List<String> users = new ArrayList<>();
        if (d.size() > 2) {
            if (!"users".equals(d.word(2)) || d.word(3) == null || d.size() > 4) {
                d.error(2, "group '" + name + "': unexpected '" + d.word(2) + "'", "usage: " + usage());
                return;
            }
            users.addAll(List.of(d.word(3).split(",")));
        }
        target.groups.add(new Userlist.Group(name, users));
    }

    static List<String> write(Userlist.Group g) {
        List<String> w = new ArrayList<>(List.of("group", g.name()));
        if (!g.users().isEmpty()) {
            w.add("users");
            w.add(String.join(",", g.users()));
        }
        return w;
    }
}
