package io.flagman.proxy.runtime;

import io.flagman.proxy.DataPlane;

/** The version {@code show version} prints: Flagman's, from the packaged jar (or {@code dev} in a build tree). */
final class Version {
    private Version() {}

    static String text() {
        String v = DataPlane.class.getPackage().getImplementationVersion();
        return v != null ? v : "dev";
    }
}
