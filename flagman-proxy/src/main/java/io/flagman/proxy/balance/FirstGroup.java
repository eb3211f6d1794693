package io.flagman.proxy.balance;

import io.flagman.proxy.rule.SampleSource;

/** {@code first}: the first eligible server in declaration order (a full server is not usable). */
final class FirstGroup extends Group {

    FirstGroup(Candidate[] servers) {
        super(servers);
    }

    @Override
    Candidate pick(SampleSource request) {
        for (Candidate c : servers) {
            if (eligible(c)) {
                return c;
            }
        }
        return null;
    }
}
