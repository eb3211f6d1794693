package io.flagman.proxy.rule;

import io.flagman.config.model.AclTest;
import io.flagman.config.model.Fetch;
import io.flagman.config.model.Match;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Builds AclTest models from HAProxy-like words: {@code acl("hdr(host)", "-i", "-m", "beg", "www.")}. */
final class Acls {

    private Acls() {}

    static AclTest acl(String criterion, String... words) {
        String name = criterion;
        List<String> args = List.of();
        List<String> converters = new ArrayList<>();
        String[] parts = criterion.split(",(?![^(]*\\))");
        String head = parts[0];
        converters.addAll(Arrays.asList(parts).subList(1, parts.length));
        int paren = head.indexOf('(');
        if (paren >= 0) {
            name = head.substring(0, paren);
            args = List.of(head.substring(paren + 1, head.length() - 1).split(","));
        } else {
            name = head;
        }
        boolean ignoreCase = false;
        Match match = null;
        List<String> patterns = new ArrayList<>();
        List<String> files = new ArrayList<>();
        for (int i = 0; i < words.length; i++) {
            switch (words[i]) {
                case "-i" -> ignoreCase = true;
                case "-m" -> match = Match.fromKeyword(words[++i]);
                case "-f" -> files.add(words[++i]);
                default -> patterns.add(words[i]);
            }
        }
        return new AclTest(new Fetch(name, args, converters), match, ignoreCase, patterns, files, criterion,
                String.join(" ", words));
    }

    static boolean matches(AclTest test, SampleSource sample) {
        return Conditions.compile(test).test(sample);
    }
}
