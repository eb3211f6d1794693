package io.flagman.control.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flagman.config.text.ConfigDocument;
import io.flagman.control.model.Json;
import java.nio.file.Path;

/**
 * A transaction: a private copy of the configuration at {@code version} that staged changes edit, persisted as
 * {@code <transaction_dir>/<basename>.<id>}. Guarded by the service's lock.
 */
public final class Transaction {

    public enum Status {
        IN_PROGRESS("in_progress"),
        SUCCESS("success"),
        FAILED("failed"),
        OUTDATED("outdated");

        private final String wire;

        Status(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }
    }

    private final String id;
    private final long version;
    private Status status;
    private ConfigDocument document;
    private Path file;

    Transaction(String id, long version, Status status, ConfigDocument document, Path file) {
        this.id = id;
        this.version = version;
        this.status = status;
        this.document = document;
        this.file = file;
    }

    public String id() {
        return id;
    }

    public long version() {
        return version;
    }

    public synchronized Status status() {
        return status;
    }

    synchronized void status(Status s) {
        status = s;
    }

    public synchronized ConfigDocument document() {
        return document;
    }

    synchronized void document(ConfigDocument d) {
        document = d;
    }

    synchronized Path file() {
        return file;
    }

    synchronized void file(Path f) {
        file = f;
    }

    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("_version", version);
        o.put("id", id);
        o.put("status", status().wire());
        return o;
    }
}
