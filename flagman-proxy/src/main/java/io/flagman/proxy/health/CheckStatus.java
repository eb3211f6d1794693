package io.flagman.proxy.health;

/** HAProxy's check statuses ({@code last_chk}) with their long descriptions, as its logs print them. */
enum CheckStatus {
    INI("Initializing", false),
    L4OK("Layer4 check passed", true),
    L4TOUT("Layer4 timeout", false),
    L4CON("Layer4 connection problem", false),
    L6OK("Layer6 check passed", true),
    L6TOUT("Layer6 timeout", false),
    L6RSP("Layer6 invalid response", false),
    L7OK("Layer7 check passed", true),
    L7TOUT("Layer7 timeout", false),
    L7RSP("Layer7 invalid response", false),
    L7STS("Layer7 wrong status", false);

    final String description;
    final boolean passed;

    CheckStatus(String description, boolean passed) {
        this.description = description;
        this.passed = passed;
    }
}
