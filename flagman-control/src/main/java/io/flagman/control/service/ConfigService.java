package io.flagman.control.service;

import io.flagman.config.LoadResult;
import io.flagman.config.edit.EditException;
import io.flagman.config.model.Config;
import io.flagman.config.text.ConfigDocument;
import io.flagman.config.text.Diagnostic;
import io.flagman.control.ApiException;
import io.flagman.control.ConfigApplier;
import io.flagman.control.ConfigValidator;
import io.flagman.control.store.AtomicFiles;
import io.flagman.control.store.FileConfigStore;
import io.flagman.control.store.VersionLine;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The one path every configuration change takes: check the version (or stage into a transaction), edit the
 * document, compile the candidate with the same loader the data plane's configuration comes from, apply it to
 * the data plane, store it atomically, and only then answer. A lock around check → validate → apply → write
 * makes exactly one commit win per version.
 */
public final class ConfigService {

    private static final System.Logger LOG = System.getLogger("io.flagman.control");
    private static final Pattern UUID_PATTERN =
            Pattern.compile("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");

    /** The configuration in force: its version, document (loss-free), model and exact text. */
    public record Snapshot(long version, ConfigDocument document, Config config, String text) {}

    /** A change to a document; edit errors map to 404 / 409 / 400. */
    @FunctionalInterface
    public interface Edit {
        ConfigDocument apply(ConfigDocument doc) throws EditException;
    }

    /**
     * The outcome of a write.
     *
     * @param staged true when the change went into a transaction (not live yet)
     * @param reloadId the reload record for a live change
     * @param version the configuration version after the write
     */
    public record WriteResult(boolean staged, String reloadId, long version) {}

    private final FileConfigStore store;
    private final ConfigValidator validator;
    private final ConfigApplier applier;
    private final Path transactionDir;
    private final int maxOpenTransactions;
    private final Reloads reloads;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Transaction> transactions = new LinkedHashMap<>();
    private final List<Consumer<Snapshot>> listeners = new CopyOnWriteArrayList<>();
    private volatile Snapshot state;
    private volatile byte[] diskHash = new byte[0];
    private volatile byte[] refusedHash = new byte[0];
    private volatile String startupWarning;

    public ConfigService(FileConfigStore store, ConfigValidator validator, ConfigApplier applier, Path transactionDir,
            int maxOpenTransactions, Clock clock) {
        this.store = store;
        this.validator = validator;
        this.applier = applier;
        this.transactionDir = transactionDir.toAbsolutePath();
        this.maxOpenTransactions = maxOpenTransactions;
        this.reloads = new Reloads(clock);
    }

    // ---------------------------------------------------------------- start-up

    /**
     * Loads the configuration file (falling back to the last-known-good copy, loudly, when it is invalid),
     * applies it and reloads persisted transactions.
     *
     * @throws IllegalStateException when neither the file nor its {@code .lkg} copy is a valid configuration,
     *     or the data plane refuses it
     */
    public void start() throws IOException {
        lock.lock();
        try {
            store.cleanTemporaries();
            String text = store.read().orElseThrow(() -> new IllegalStateException("configuration file "
                    + store.file() + " does not exist"));
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            LoadResult r = validate(text);
            boolean fromLkg = false;
            if (!r.ok()) {
                String diagnostics = format(r.errors());
                Config lkgConfig = null;
                String lkg = store.readLkg().orElse(null);
                LoadResult lr = lkg == null ? null : validate(lkg);
                if (lr == null || !lr.ok()) {
                    throw new IllegalStateException("configuration file " + store.file() + " is invalid and there is"
                            + " no valid last-known-good copy (" + store.lkgFile() + "):\n" + diagnostics);
                }
                startupWarning = "configuration file " + store.file() + " is invalid; running its last-known-good"
                        + " copy " + store.lkgFile() + " instead. Fix the file (it is picked up when saved):\n"
                        + diagnostics;
                LOG.log(Level.ERROR, startupWarning);
                text = lkg;
                r = lr;
                fromLkg = true;
                refusedHash = sha256(bytes);
                lkgConfig = lr.config();
                assert lkgConfig != null;
            }
            long version = VersionLine.read(text);
            if (version <= 0) {
                version = 1;
                text = VersionLine.write(text, 1);
            }
            ConfigDocument doc = r.document() != null ? r.document() : ConfigDocument.parse(fileName(), text);
            if (!doc.text().equals(text)) {
                doc = ConfigDocument.parse(fileName(), text);
            }
            try {
                applier.apply(r.config());
            } catch (Exception e) {
                throw new IllegalStateException("the data plane refused the configuration " + store.file() + ": "
                        + e.getMessage(), e);
            }
            state = new Snapshot(version, doc, r.config(), text);
            diskHash = sha256(bytes);
            if (!fromLkg) {
                writeLkg(text);
            }
            loadTransactions();
        } finally {
            lock.unlock();
        }
        listeners.forEach(l -> l.accept(state));
    }

    /** Set when start-up fell back to the last-known-good copy. */
    public String startupWarning() {
        return startupWarning;
    }

    public void addListener(Consumer<Snapshot> listener) {
        listeners.add(listener);
    }

    public Snapshot current() {
        return state;
    }

    public Reloads reloads() {
        return reloads;
    }

    public FileConfigStore store() {
        return store;
    }

    /** The document a read sees: the transaction's when {@code transactionId} is given. */
    public ConfigDocument view(String transactionId) {
        if (transactionId == null) {
            return state.document();
        }
        lock.lock();
        try {
            Transaction tx = transactions.get(transactionId);
            if (tx == null) {
                throw ApiException.badRequest("transaction does not exist: " + transactionId);
            }
            return tx.document();
        } finally {
            lock.unlock();
        }
    }

    /** The {@code Configuration-Version} header value for a request. */
    public long headerVersion(String transactionId) {
        Snapshot s = state;
        if (transactionId == null) {
            return s == null ? 0 : s.version();
        }
        lock.lock();
        try {
            Transaction tx = transactions.get(transactionId);
            return tx != null && tx.status() == Transaction.Status.IN_PROGRESS ? tx.version() : 0;
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- writes

    /**
     * One write: with {@code transactionId} it is staged; otherwise {@code version} must be the current version
     * and the change is committed (validated, applied, stored) before this returns.
     */
    public WriteResult write(long version, String transactionId, Edit edit) {
        checkVersionOrTransaction(version, transactionId);
        lock.lock();
        try {
            if (transactionId != null) {
                Transaction tx = openTransaction(transactionId);
                ConfigDocument next = edit(edit, tx.document());
                persist(tx, next.text());
                tx.document(next);
                return new WriteResult(true, null, state.version());
            }
            Snapshot cur = state;
            checkVersion(version, cur);
            ConfigDocument next = edit(edit, cur.document());
            commitText(VersionLine.write(next.text(), cur.version() + 1), cur);
            return new WriteResult(false, reloads.record(), state.version());
        } finally {
            lock.unlock();
        }
    }

    public static void checkVersionOrTransaction(long version, String transactionId) {
        if (version != 0 && transactionId != null) {
            throw ApiException.badRequest("both version and transaction specified, specify only one");
        }
        if (version == 0 && transactionId == null) {
            throw ApiException.badRequest("version or transaction not specified: version or transaction not"
                    + " specified, specify only one");
        }
    }

    private static void checkVersion(long version, Snapshot cur) {
        if (version != cur.version()) {
            throw ApiException.conflict("version mismatch: version in configuration file is " + cur.version()
                    + ", given version is " + version);
        }
    }

    private static ConfigDocument edit(Edit edit, ConfigDocument doc) {
        try {
            return edit.apply(doc);
        } catch (EditException e) {
            // The Data Plane API's error prefixes (misc.HandleError), before ConfigEditor's own words.
            throw switch (e.kind()) {
                case NOT_FOUND -> ApiException.notFound("missing object: " + e.getMessage());
                case ALREADY_EXISTS -> ApiException.conflict("object already exists: " + e.getMessage());
                case OUT_OF_RANGE -> ApiException.badRequest("index out of range: " + e.getMessage());
                case MISSING_PARENT -> ApiException.badRequest("missing parent: " + e.getMessage());
            };
        }
    }

    /** Validates, applies and stores {@code text} as the next configuration. Caller holds the lock. */
    private void commitText(String text, Snapshot cur) {
        LoadResult r = validate(text);
        if (!r.ok()) {
            throw ApiException.badRequest("validation error: " + format(r.errors()));
        }
        try {
            applier.apply(r.config());
        } catch (Exception e) {
            throw ApiException.badRequest("apply failed: " + (e.getMessage() == null ? e.toString()
                    : e.getMessage()) + "; nothing was changed");
        }
        try {
            store.write(text, cur.text(), cur.version());
        } catch (IOException e) {
            try {
                applier.apply(cur.config());
            } catch (Exception rollback) {
                LOG.log(Level.ERROR, "could not restore the previous configuration after a failed write: "
                        + rollback.getMessage());
            }
            throw new ApiException(500, "cannot write " + store.file() + ": " + e + "; nothing was changed");
        }
        diskHash = sha256(text.getBytes(StandardCharsets.UTF_8));
        ConfigDocument doc = r.document() != null && r.document().text().equals(text) ? r.document()
                : ConfigDocument.parse(fileName(), text);
        Snapshot next = new Snapshot(VersionLine.read(text), doc, r.config(), text);
        state = next;
        writeLkg(text);
        outdateOthers(null, cur.version());
        for (Consumer<Snapshot> l : listeners) {
            try {
                l.accept(next);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "configuration listener failed: " + e);
            }
        }
    }

    private LoadResult validate(String text) {
        return validator.validate(fileName(), text, store.file().getParent());
    }

    private String fileName() {
        return store.file().getFileName().toString();
    }

    static String format(List<Diagnostic> errors) {
        StringBuilder out = new StringBuilder();
        for (Diagnostic d : errors) {
            if (!out.isEmpty()) {
                out.append('\n');
            }
            out.append(d.format());
        }
        return out.isEmpty() ? "invalid configuration" : out.toString();
    }

    private void writeLkg(String text) {
        try {
            store.writeLkg(text);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot refresh " + store.lkgFile() + ": " + e);
        }
    }

    // ---------------------------------------------------------------- raw

    /** The text of the configuration, of a transaction, or of a kept backup version. */
    public String rawText(String transactionId, long version) throws IOException {
        if (transactionId != null) {
            return view(transactionId).text();
        }
        if (version > 0) {
            Snapshot s = state;
            if (version == s.version()) {
                return s.text();
            }
            return store.backup(version).orElseThrow(() -> ApiException.notFound("backup file for version "
                    + version + " does not exist"));
        }
        return state.text();
    }

    /** Checks a text without changing anything; 400 with the diagnostics when it is invalid. */
    public void validateOnly(String text) {
        checkNewline(text);
        LoadResult r = validate(text);
        if (!r.ok()) {
            throw ApiException.badRequest("validation error: " + format(r.errors()));
        }
    }

    /** Replaces the whole configuration with {@code text} (kept byte for byte, apart from the version line). */
    public WriteResult postRaw(String text, long version, String transactionId, boolean skipVersion) {
        checkNewline(text);
        if (!skipVersion) {
            checkVersionOrTransaction(version, transactionId);
        }
        lock.lock();
        try {
            if (transactionId != null) {
                Transaction tx = openTransaction(transactionId);
                String staged = VersionLine.write(VersionLine.strip(text), tx.version());
                persist(tx, staged);
                tx.document(ConfigDocument.parse(fileName(), staged));
                return new WriteResult(true, null, state.version());
            }
            Snapshot cur = state;
            String next;
            if (skipVersion) {
                next = VersionLine.read(text) > 0 ? text : VersionLine.write(text, 1);
            } else {
                checkVersion(version, cur);
                next = VersionLine.write(VersionLine.strip(text), cur.version() + 1);
            }
            commitText(next, cur);
            return new WriteResult(false, reloads.record(), state.version());
        } finally {
            lock.unlock();
        }
    }

    private static void checkNewline(String text) {
        if (!text.isEmpty() && text.indexOf('\n') < 0) {
            throw ApiException.badRequest("invalid configuration: no newline character found");
        }
    }

    // ---------------------------------------------------------------- external edits

    /**
     * Picks up a change made to the file by hand: a valid one is applied and becomes version + 1 (only the
     * version line is rewritten); an invalid one is refused with its diagnostics logged, and the running
     * configuration stays.
     *
     * @return true when a change was applied
     */
    public boolean pollFile() {
        byte[] bytes;
        try {
            bytes = store.readBytes();
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot read " + store.file() + ": " + e);
            return false;
        }
        byte[] hash = sha256(bytes);
        if (Arrays.equals(hash, diskHash) || Arrays.equals(hash, refusedHash)) {
            return false;
        }
        lock.lock();
        Snapshot applied = null;
        try {
            if (Arrays.equals(hash, diskHash)) {
                return false;
            }
            String text = new String(bytes, StandardCharsets.UTF_8);
            LoadResult r = validate(text);
            if (!r.ok()) {
                refusedHash = hash;
                LOG.log(Level.ERROR, "refused the hand edit of " + store.file() + "; the running configuration"
                        + " (version " + state.version() + ") stays:\n" + format(r.errors()));
                return false;
            }
            Snapshot cur = state;
            String next = VersionLine.write(text, cur.version() + 1);
            try {
                commitText(next, cur);
            } catch (ApiException e) {
                refusedHash = hash;
                LOG.log(Level.ERROR, "refused the hand edit of " + store.file() + ": " + e.getMessage());
                return false;
            }
            reloads.record();
            applied = state;
            LOG.log(Level.INFO, "applied the hand edit of " + store.file() + " as version " + applied.version());
            return true;
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- transactions

    public Transaction begin(long version) {
        if (version == 0) {
            throw ApiException.badRequest("version in query is required: start a transaction at the current"
                    + " configuration version");
        }
        lock.lock();
        try {
            Snapshot cur = state;
            checkVersion(version, cur);
            long open = transactions.values().stream()
                    .filter(t -> t.status() == Transaction.Status.IN_PROGRESS).count();
            if (maxOpenTransactions > 0 && open >= maxOpenTransactions) {
                throw new ApiException(429, "cannot start a new transaction, reached the maximum amount of "
                        + maxOpenTransactions + " active transactions available");
            }
            String id = UUID.randomUUID().toString();
            Path file = transactionDir.resolve(fileName() + "." + id);
            Transaction tx = new Transaction(id, cur.version(), Transaction.Status.IN_PROGRESS, cur.document(), file);
            persist(tx, cur.text());
            transactions.put(id, tx);
            return tx;
        } finally {
            lock.unlock();
        }
    }

    /** Transactions, optionally filtered by status ({@code in_progress}, {@code failed}). */
    public List<Transaction> transactions(String status) {
        if (status != null && !status.equals("failed") && !status.equals("in_progress")) {
            throw ApiException.badRequest("status in query should be one of [failed in_progress]");
        }
        lock.lock();
        try {
            List<Transaction> out = new ArrayList<>();
            for (Transaction t : transactions.values()) {
                if (status == null || t.status().wire().equals(status)) {
                    out.add(t);
                }
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    public Transaction transaction(String id) {
        lock.lock();
        try {
            Transaction tx = transactions.get(id);
            if (tx == null) {
                throw new ApiException(404, "transaction " + id + " does not exist");
            }
            return tx;
        } finally {
            lock.unlock();
        }
    }

    /** Commits a transaction: one version bump however many changes it holds. */
    public WriteResult commit(String id) {
        lock.lock();
        try {
            Transaction tx = transaction(id);
            if (tx.status() != Transaction.Status.IN_PROGRESS) {
                throw new ApiException(406, "transaction " + id + " is " + tx.status().wire()
                        + " and cannot be committed");
            }
            Snapshot cur = state;
            if (tx.version() != cur.version()) {
                move(tx, Transaction.Status.OUTDATED);
                throw ApiException.conflict("version mismatch: version mismatch, transaction version: "
                        + tx.version() + ", configured version: " + cur.version());
            }
            try {
                commitText(VersionLine.write(tx.document().text(), cur.version() + 1), cur);
            } catch (ApiException e) {
                if (e.status() == 400) {
                    move(tx, Transaction.Status.FAILED);
                }
                throw e;
            }
            try {
                Files.deleteIfExists(tx.file());
            } catch (IOException e) {
                LOG.log(Level.WARNING, "cannot delete transaction file " + tx.file() + ": " + e);
            }
            tx.status(Transaction.Status.SUCCESS);
            transactions.remove(id);
            return new WriteResult(false, reloads.record(), state.version());
        } finally {
            lock.unlock();
        }
    }

    public void delete(String id) {
        lock.lock();
        try {
            Transaction tx = transaction(id);
            transactions.remove(id);
            Files.deleteIfExists(tx.file());
        } catch (IOException e) {
            throw new ApiException(500, "cannot delete the transaction file: " + e);
        } finally {
            lock.unlock();
        }
    }

    private Transaction openTransaction(String id) {
        Transaction tx = transactions.get(id);
        if (tx == null) {
            throw ApiException.badRequest("transaction does not exist: " + id);
        }
        if (tx.status() != Transaction.Status.IN_PROGRESS) {
            throw ApiException.badRequest("transaction " + id + " is " + tx.status().wire()
                    + ": start a new transaction");
        }
        return tx;
    }

    /** Every other in-progress transaction started at or before {@code version} can no longer commit. */
    private void outdateOthers(String except, long version) {
        for (Transaction t : List.copyOf(transactions.values())) {
            if (!t.id().equals(except) && t.status() == Transaction.Status.IN_PROGRESS && t.version() <= version) {
                move(t, Transaction.Status.OUTDATED);
            }
        }
    }

    private void move(Transaction tx, Transaction.Status status) {
        tx.status(status);
        Path dir = transactionDir.resolve(status.wire());
        try {
            Files.createDirectories(dir);
            Path target = dir.resolve(tx.file().getFileName());
            Files.move(tx.file(), target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            tx.file(target);
            AtomicFiles.forceDirectory(transactionDir);
        } catch (NoSuchFileException ignored) {
            // already gone
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot move transaction " + tx.id() + " to " + dir + ": " + e);
        }
    }

    private void persist(Transaction tx, String text) {
        try {
            if (!Files.isDirectory(transactionDir)) {
                Files.createDirectories(transactionDir);
                try {
                    Files.setPosixFilePermissions(transactionDir, PosixFilePermissions.fromString("rwx------"));
                } catch (UnsupportedOperationException ignored) {
                    // not POSIX
                }
            }
            AtomicFiles.write(tx.file(), text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ApiException(500, "cannot write transaction file " + tx.file() + ": " + e);
        }
    }

    private void loadTransactions() throws IOException {
        if (!Files.isDirectory(transactionDir)) {
            return;
        }
        String prefix = fileName() + ".";
        load(transactionDir, prefix, Transaction.Status.IN_PROGRESS);
        load(transactionDir.resolve("failed"), prefix, Transaction.Status.FAILED);
        load(transactionDir.resolve("outdated"), prefix, Transaction.Status.OUTDATED);
        outdateOthers(null, state.version() - 1);
    }

    private void load(Path dir, String prefix, Transaction.Status status) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        AtomicFiles.cleanTemporaries(dir.resolve(prefix));
        try (var files = Files.list(dir)) {
            for (Path p : files.sorted().toList()) {
                String name = p.getFileName().toString();
                if (!name.startsWith(prefix) || !Files.isRegularFile(p)) {
                    continue;
                }
                String id = name.substring(prefix.length());
                if (!UUID_PATTERN.matcher(id).matches()) {
                    continue;
                }
                String text = Files.readString(p, StandardCharsets.UTF_8);
                transactions.put(id, new Transaction(id, VersionLine.read(text), status,
                        ConfigDocument.parse(fileName(), text), p));
            }
        }
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
