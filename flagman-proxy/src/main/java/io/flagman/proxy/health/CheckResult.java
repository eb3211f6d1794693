package io.flagman.proxy.health;

/**
 * The outcome of one check.
 *
 * @param code the HTTP status of a layer-7 check, else 0
 * @param info details (the OS error, the reason phrase), or null
 */
record CheckResult(CheckStatus status, int code, String info, long durationMillis) {

    boolean passed() {
        return status.passed;
    }

    /** HAProxy's wording: {@code reason: Layer7 wrong status, code: 500, info: "Internal Server Error", check duration: 3ms}. */
    String describe() {
        StringBuilder b = new StringBuilder("reason: ").append(status.description);
        if (code > 0) {
            b.append(", code: ").append(code);
        }
        if (info != null && !info.isEmpty()) {
            b.append(", info: \"").append(info).append('"');
        }
        return b.append(", check duration: ").append(durationMillis).append("ms").toString();
    }
}
