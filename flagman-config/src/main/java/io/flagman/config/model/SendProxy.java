package io.flagman.config.model;

/** Whether a server connection starts with a PROXY protocol header ({@code send-proxy}, {@code send-proxy-v2}). */
public enum SendProxy {
    NONE,
    V1,
    V2
}
