package io.flagman.config.parse;

import io.flagman.config.model.Balance;

/**
 * A {@code balance} line as said: the algorithm by its HAProxy name (also one Flagman does not implement yet, such
 * as {@code rdp-cookie}: the parser then refuses it by name) and its arguments; null or false = not said.
 * {@link BalanceKeyword} writes exactly what is set.
 */
public final class BalanceSettings {
    public String algorithm;
    /** {@code hdr(<name>)}. */
    public String hdrName;
    public boolean hdrUseDomainOnly;
    /** {@code random(<draws>)}. */
    public Long randomDraws;
    /** {@code rdp-cookie(<name>)}. */
    public String rdpCookieName;
    /** {@code url_param <param>}. */
    public String urlParam;
    public boolean uriWhole;
    public boolean uriPathOnly;
    public Long uriLen;
    public Long uriDepth;

    static BalanceSettings of(Balance b) {
        BalanceSettings s = new BalanceSettings();
        s.algorithm = b.algorithm().keyword();
        switch (b.algorithm()) {
            case HDR -> s.hdrName = b.argument();
            case URL_PARAM -> s.urlParam = b.argument();
            case RANDOM -> s.randomDraws = b.argument() == null ? null : Long.valueOf(b.argument());
            default -> { }
        }
        return s;
    }
}
