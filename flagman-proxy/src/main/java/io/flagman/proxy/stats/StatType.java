package io.flagman.proxy.stats;

import java.util.Locale;

/** The value types of HAProxy's typed statistics output ({@code u32}, {@code s32}, {@code u64}, ...). */
public enum StatType {
    U32,
    S32,
    U64,
    S64,
    FLT,
    STR;

    /** The spelling in {@code typed} and {@code json} output. */
    public String spelling() {
        return name().toLowerCase(Locale.ROOT);
    }
}
