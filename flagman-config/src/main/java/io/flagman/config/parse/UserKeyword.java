package io.flagman.config.parse;

import io.flagman.config.text.Suggest;

import io.flagman.config.model.Userlist;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** {@code user <name> password <hash>|insecure-password <text> [groups <g>[,<g>…]]} in a userlist. */
final class UserKeyword implements Keyword<UserlistBuilder> {

    static final UserKeyword INSTANCE = new UserKeyword();

    @Override
    public String name() {
        return "user";
    }

    @Override
    public String usage() {
        return "user <name> password <crypt-hash>|insecure-password <password> [groups <group>[,<group>…]]";
    }

    @Override
    public String summary() {
        return "a user for 'http-request auth' and the API";
    }

    @Override
    public Set<Scope> scopes() {
        return EnumSet.of(Scope.USERLIST);
    }

    @Override
    public void parse(Directive d, UserlistBuilder target) {
        String name = d.word(1);
        if (name == null) {
            d.missing(1, "a user name");
            return;
        }
        String password = null;
        boolean secure = false;
        List<String> groups = new ArrayList<>();
        for (int i = 2; i < d.size(); i++) {
            String w = d.word(i);
            switch (w) {
                case "password", "insecure-password" -> {
                    password = d.word(++i);
                    secure = w.equals("password");
                    if (password == null) {
                        d.missing(i, "a password");
                        return;
                    }
                }
                case "groups" -> {
                    String g = d.word(++i);
                    if (g == null) {
                        d.missing(i, "a comma-separated group list");
                        return;
                    }
                    groups.addAll(List.of(g.split(",")));
                }
                default -> {
                    String hint = Suggest.didYouMean(w, List.of("password", "insecure-password", "groups"));
                    d.error(i, "user '" + name + "': unexpected '" + w + "'",
                            hint != null ? hint : "usage: " + usage());
                    return;
                }
            }
        }
        if (password == null) {
            d.error(1, "user '" + name + "' has no password", "add 'password <crypt-hash>' or 'insecure-password <password>'");
            return;
        }
        target.users.add(new Userlist.User(name, password, secure, groups));
    }

    static List<String> write(Userlist.User u) {
        List<String> w = new ArrayList<>(List.of("user", u.name(), u.secure() ? "password" : "insecure-password",
                u.password()));
        if (!u.groups().isEmpty()) {
            w.add("groups");
            w.add(String.join(",", u.groups()));
        }
        return w;
    }
}
