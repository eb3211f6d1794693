package io.flagman.config.parse;

import io.flagman.config.model.Condition;
import io.flagman.config.model.HttpRule;
import io.flagman.config.text.Words;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code redirect location|prefix|scheme <value> [code <n>] [options…] [if|unless <condition>]}: HAProxy's older
 * spelling of {@code http-request redirect}, with its own place in the request's path. A proxy's {@code redirect}
 * rules run after its {@code http-request} rules (also after an {@code allow}) and its stats page, before
 * {@code use_backend}; the first whose condition holds answers. The words are read as {@code http-request redirect}
 * reads them (options in any order).
 */
final class RedirectKeyword implements Keyword<ProxyBuilder> {

    static final RedirectKeyword INSTANCE = new RedirectKeyword();

    @Override
    public String name() {
        return "redirect";
    }

    @Override
    public String usage() {
        return "redirect location|prefix|scheme <value> [code <n>] [drop-query] [append-slash] [ignore-empty]"
                + " [set-cookie <name>[=<value>]] [clear-cookie <name>] [if|unless <condition>]";
    }

    @Override
    public String summary() {
        return "answer with a redirection; runs after the http-request rules and the stats page";
    }

    @Override
    public Set<Scope> scopes() {
        return EnumSet.of(Scope.FRONTEND, Scope.BACKEND);
    }

    @Override
    public void parse(Directive d, ProxyBuilder target) {
        int condAt = ConditionSyntax.find(d, 1);
        int end = condAt < 0 ? d.size() : condAt;
        Condition condition = null;
        if (condAt >= 0) {
            condition = ConditionSyntax.parse(d, condAt);
            if (condition == null) {
                return;
            }
        }
        HttpRule.Redirect r = HttpRuleKeyword.redirect(d, 1, end, condition, "redirect");
        if (r != null) {
            if (!target.useBackends.isEmpty()) {
                d.warning(0, "a 'redirect' rule placed after a 'use_backend' rule will still be processed before",
                        "move it above the use_backend rules");
            }
            target.redirectRules.add(r);
        }
    }

    /** The words of one {@code redirect} rule. */
    static List<String> write(HttpRule.Redirect r) {
        Words w = Words.of("redirect", r.type().name().toLowerCase(Locale.ROOT), r.value().text());
        if (r.code() != 302) {
            w = w.plus("code", Integer.toString(r.code()));
        }
        w = w.plus(Words.of(r.options()));
        return (r.condition() == null ? w : w.plus(Words.of(ConditionSyntax.write(r.condition())))).values();
    }
}
