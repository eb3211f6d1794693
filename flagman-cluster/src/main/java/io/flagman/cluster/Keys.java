package io.flagman.cluster;

import java.time.Instant;

/** The etcd key layout under a fleet prefix (docs/cluster.md, "The store"). */
final class Keys {

    private final String p;

    Keys(String prefix) {
        String s = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        this.p = s.startsWith("/") ? s : "/" + s;
    }

    String prefix() {
        return p;
    }

    String versions() {
        return p + "/versions/";
    }

    String version(long n) {
        return versions() + String.format("%019d", n);
    }

    String blob(String checksum) {
        return p + "/blobs/" + checksum + "/";
    }

    String blobChunk(String checksum, int i) {
        return blob(checksum) + String.format("%06d", i);
    }

    String channels() {
        return p + "/channels/";
    }

    String channel(String name) {
        return channels() + name;
    }

    String history() {
        return p + "/history/";
    }

    String history(Instant time, String channel, long to) {
        return history() + String.format("%019d-%s-%019d", time.toEpochMilli(), channel, to);
    }

    String nodes() {
        return p + "/nodes/";
    }

    String node(String name) {
        return nodes() + name;
    }

    String seen() {
        return p + "/seen/";
    }

    String seen(String name) {
        return seen() + name;
    }

    String drafts() {
        return p + "/drafts/";
    }

    String drafts(String node) {
        return drafts() + node + "/";
    }

    String draft(String node, Instant time) {
        return drafts(node) + String.format("%019d", time.toEpochMilli());
    }

    String actions(String channel) {
        return p + "/actions/" + channel + "/";
    }

    String action(String channel, String id) {
        return actions(channel) + id;
    }

    String results(String id) {
        return p + "/results/" + id + "/";
    }

    String result(String id, String node) {
        return results(id) + node;
    }
}
