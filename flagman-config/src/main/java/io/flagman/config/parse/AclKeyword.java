package io.flagman.config.parse;

import io.flagman.config.model.Acl;
import io.flagman.config.model.AclTest;
import io.flagman.config.text.Words;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** {@code acl <name> <criterion> [flags] [patterns]}. */
final class AclKeyword implements Keyword<ProxyBuilder> {

    static final AclKeyword INSTANCE = new AclKeyword();

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.:\\-]+");

    @Override
    public String name() {
        return "acl";
    }

    @Override
    public String usage() {
        return "acl <name> <criterion> [-i] [-m <method>] [-f <file>] [--] [<pattern>…]";
    }

    @Override
    public String summary() {
        return "a named test used by rule conditions; lines with the same name are OR-ed";
    }

    @Override
    public Set<Scope> scopes() {
        return EnumSet.of(Scope.FRONTEND, Scope.BACKEND);
    }

    @Override
    public void parse(Directive d, ProxyBuilder target) {
        String name = d.word(1);
        if (name == null) {
            d.missing(1, "an ACL name");
            return;
        }
        if (!NAME.matcher(name).matches()) {
            d.error(1, "invalid ACL name '" + name + "'", "ACL names use letters, digits, '_', '-', '.' and ':'");
            return;
        }
        if (d.size() < 3) {
            d.missing(2, "a criterion");
            return;
        }
        AclTest test = AclSyntax.parse(d.words(2), (i, m, h) -> d.error(2 + i, "acl '" + name + "': " + m, h));
        if (test != null) {
            target.acls.add(new Acl(name, test, d.number()));
        }
    }

    static List<String> write(Acl a) {
        List<String> value = new ArrayList<>();
        for (String v : a.test().value().split(" ")) {
            if (!v.isEmpty()) {
                value.add(v);
            }
        }
        return write(a.name(), a.test().criterion(), Words.of(value)).values();
    }

    /** {@code acl <name> <criterion> <value…>}: the one place that spells an ACL line. */
    static Words write(String name, String criterion, Words value) {
        return Words.of("acl", name, criterion).plus(value);
    }
}
