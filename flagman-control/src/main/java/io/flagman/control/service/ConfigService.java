package io.flagman.control.service;

import io.flagman.config.LoadResult;
import io.flagman.config.edit.EditException;
import io.flagman.config.model.Config;
import io.flagman.config.text.ConfigDocument;
import io.flagman.config.text.Diagnostic;
import io.flagman.control.ApiException;
import io.flagman.control.ConfigApplier;
import io.flagman.control.ConfigValidator;
import io.flagman.control.service.CommitResult.ApplyFailed;
import io.flagman.control.service.CommitResult.Committed;
import io.flagman.control.service.CommitResult.Conflict;
import io.flagman.control.service.CommitResult.EditRefused;
import io.flagman.control.service.CommitResult.Invalid;
import io.flagman.control.service.CommitResult.Refused;
import io.flagman.control.service.CommitResult.Staged;
import io.flagman.control.service.CommitResult.StoreFailed;
import io.flagman.control.service.CommitResult.TransactionUnusable;
import io.flagman.control.store.FileConfigStore;
import io.flagman.control.store.VersionLine;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The one path every configuration change takes: check the version (or stage into a transaction), edit the
 * document, compile the candidate with the same loader the data plane's configuration comes from, apply it to
 * the data plane, store it atomically, and only then answer. A lock around check → validate → apply → write
 * makes exactly one commit win per version.
 *
 * <p>The commit pipeline returns a {@link CommitResult} (committed, staged, conflict, invalid with its
 * diagnostics, apply or store failure …) and never an HTTP status: the API layer maps results to statuses.
 * Transactions are kept by {@link TransactionStore}. The other operations (reads, starting and listing
 * transactions) still answer lookups that fail with {@link ApiException}.
 */
public final class ConfigService {

    private static final System.Logger LOG = System.getLogger("io.flagman.control");

    /** The configuration in force: its version, document (loss-free), model and exact text. */
    public record Snapshot(long version, ConfigDocument document, Config config, String text) {}

    /**
     * Who made a change and why: the authenticated API user and the {@code X-Flagman-Message} header (null when
     * absent). The {@link CommitGate} sees both.
     */
    public record Author(String user, String message) {
        /** A change made by editing the file by hand. */
        public static final String HAND_EDIT = "hand-edit";

        public Author {
            if (user == null || user.isBlank()) {
                throw new IllegalArgumentException("a change has an author");
            }
        }
    }

    /** A change to a document; an {@link EditException} refuses it ({@link EditRefused}). */
    @FunctionalInterface
    public interface Edit {
        ConfigDocument apply(ConfigDocument doc) throws EditException;
    }

    private final FileConfigStore store;
    private final ConfigValidator validator;
    private final ConfigApplier applier;
    private final int maxOpenTransactions;
    private final Reloads reloads;
    private final CommitGate gate;
    private final HandEditPolicy handEdits;
    private final ReentrantLock lock = new ReentrantLock();
    private final TransactionStore transactions;
    private final List<Consumer<Snapshot>> listeners = new CopyOnWriteArrayList<>();
    private volatile Snapshot state;
    private volatile byte[] diskHash = new byte[0];
    private volatile byte[] refusedHash = new byte[0];
    private volatile byte[] handedHash = new byte[0];
    private volatile String startupWarning;

    /**
     * @param gate asked for every commit from the API or a hand edit ({@link CommitGate#NONE}: all admitted)
     * @param handEdits what happens to a hand edit of the file ({@link HandEditPolicy#COMMIT}: committed)
     */
    public ConfigService(FileConfigStore store, ConfigValidator validator, ConfigApplier applier, Path transactionDir,
            int maxOpenTransactions, Clock clock, CommitGate gate, HandEditPolicy handEdits) {
        this.store = store;
        this.gate = gate == null ? CommitGate.NONE : gate;
        this.handEdits = handEdits == null ? HandEditPolicy.COMMIT : handEdits;
        this.validator = validator;
        this.applier = applier;
        this.maxOpenTransactions = maxOpenTransactions;
        this.reloads = new Reloads(clock);
        this.transactions = new TransactionStore(transactionDir, store.file().getFileName().toString());
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
                String diagnostics = new Invalid(r.errors()).listing();
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
            return transactions.get(transactionId).orElseThrow(() -> ApiException.badRequest(
                    "transaction does not exist: " + transactionId)).document();
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
            return transactions.get(transactionId).filter(tx -> tx.status() == Transaction.Status.IN_PROGRESS)
                    .map(Transaction::version).orElse(0L);
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- writes

    /**
     * One write: with {@code transactionId} it is staged; otherwise {@code version} must be the current version
     * and the change is committed (validated, applied, stored) before this returns. Exactly one of the two is
     * given (the caller checks).
     */
    public CommitResult write(long version, String transactionId, Edit edit, Author author) {
        lock.lock();
        try {
            if (transactionId != null) {
                Transaction tx = inProgress(transactionId);
                if (tx == null) {
                    return unusable(transactionId, false);
                }
                ConfigDocument next;
                try {
                    next = edit.apply(tx.document());
                } catch (EditException e) {
                    return new EditRefused(e);
                }
                CommitResult stored = persist(tx, next.text());
                if (stored != null) {
                    return stored;
                }
                tx.document(next);
                return new Staged(transactionId, state.version());
            }
            Snapshot cur = state;
            if (version != cur.version()) {
                return new Conflict(cur.version(), version, false);
            }
            ConfigDocument next;
            try {
                next = edit.apply(cur.document());
            } catch (EditException e) {
                return new EditRefused(e);
            }
            return recorded(commitText(VersionLine.write(next.text(), cur.version() + 1), cur, author));
        } finally {
            lock.unlock();
        }
    }

    /** A live commit gets its reload record. */
    private CommitResult recorded(CommitResult r) {
        return r instanceof Committed c ? new Committed(c.version(), reloads.record()) : r;
    }

    /**
     * Validates, applies, passes through the {@link CommitGate} (unless {@code author} is null: a version from
     * elsewhere) and stores {@code text} as the next configuration. Caller holds the lock. On any refusal the
     * running configuration, the file and the version are unchanged.
     */
    private CommitResult commitText(String text, Snapshot cur, Author author) {
        LoadResult r = validate(text);
        if (!r.ok()) {
            return new Invalid(r.errors());
        }
        try {
            applier.apply(r.config());
        } catch (Exception e) {
            return new ApplyFailed(e.getMessage() == null ? e.toString() : e.getMessage());
        }
        if (author != null) {
            CommitGate.Decision decision;
            try {
                decision = gate.admit(cur, text, author.user(), author.message());
            } catch (RuntimeException e) {
                rollback(cur, "the commit gate failed");
                throw e;
            }
            switch (decision) {
                case CommitGate.Refuse refuse -> {
                    rollback(cur, "the commit gate refused the change");
                    return new Refused(refuse.status(), refuse.message());
                }
                case CommitGate.Admit admit -> {
                    if (admit.version() != VersionLine.read(text)) {
                        text = VersionLine.write(text, admit.version());
                    }
                }
            }
        }
        try {
            store.write(text, cur.text(), cur.version());
        } catch (IOException e) {
            rollback(cur, "a failed write");
            return new StoreFailed("cannot write " + store.file() + ": " + e + "; nothing was changed");
        }
        diskHash = sha256(text.getBytes(StandardCharsets.UTF_8));
        ConfigDocument doc = r.document() != null && r.document().text().equals(text) ? r.document()
                : ConfigDocument.parse(fileName(), text);
        Snapshot next = new Snapshot(VersionLine.read(text), doc, r.config(), text);
        state = next;
        writeLkg(text);
        transactions.outdateUpTo(cur.version());
        for (Consumer<Snapshot> l : listeners) {
            try {
                l.accept(next);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "configuration listener failed: " + e);
            }
        }
        return new Committed(next.version(), null);
    }

    /** Puts the running configuration back to {@code cur} after a refusal that came after the apply. */
    private void rollback(Snapshot cur, String after) {
        try {
            applier.apply(cur.config());
        } catch (Exception e) {
            LOG.log(Level.ERROR, "could not restore the previous configuration after " + after + ": "
                    + e.getMessage());
        }
    }

    private LoadResult validate(String text) {
        return validator.validate(fileName(), text, store.file().getParent());
    }

    private String fileName() {
        return store.file().getFileName().toString();
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

    /** Checks a text without changing anything: its errors (none when it is valid). */
    public List<Diagnostic> validateOnly(String text) {
        return validate(text).errors();
    }

    /**
     * Replaces the whole configuration with {@code text} (kept byte for byte, apart from the version line). With
     * {@code skipVersion} the text's own version line (or 1) is used and no version is checked.
     */
    public CommitResult postRaw(String text, long version, String transactionId, boolean skipVersion, Author author) {
        lock.lock();
        try {
            if (transactionId != null) {
                Transaction tx = inProgress(transactionId);
                if (tx == null) {
                    return unusable(transactionId, false);
                }
                String staged = VersionLine.write(VersionLine.strip(text), tx.version());
                CommitResult stored = persist(tx, staged);
                if (stored != null) {
                    return stored;
                }
                tx.document(ConfigDocument.parse(fileName(), staged));
                return new Staged(transactionId, state.version());
            }
            Snapshot cur = state;
            String next;
            if (skipVersion) {
                next = VersionLine.read(text) > 0 ? text : VersionLine.write(text, 1);
            } else {
                if (version != cur.version()) {
                    return new Conflict(cur.version(), version, false);
                }
                next = VersionLine.write(VersionLine.strip(text), cur.version() + 1);
            }
            return recorded(commitText(next, cur, author));
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- external edits

    /**
     * Makes {@code text} the configuration as version {@code version}: a version that came from elsewhere (a
     * cluster's channel), so the {@link CommitGate} is not asked. It is validated, applied and stored like any
     * commit; {@link Invalid} or {@link ApplyFailed} keep the configuration in force. When {@code version} with
     * this text (version lines aside) is already in force, only the file is put back if it differs (a hand edit
     * being undone).
     */
    public CommitResult applyExternal(String text, long version) {
        if (version <= 0) {
            throw new IllegalArgumentException("an external version is positive: " + version);
        }
        lock.lock();
        try {
            String next = VersionLine.write(text, version);
            Snapshot cur = state;
            if (cur.version() == version && VersionLine.strip(cur.text()).equals(VersionLine.strip(next))) {
                return restoreFile(cur);
            }
            return recorded(commitText(next, cur, null));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes the configuration in force back to the file when the file differs from it: when it is still what
     * this service last wrote or read (it only lacks the version line, say), or a hand edit already handed over.
     * A change not seen yet is left for {@link #pollFile()}, so no hand edit is overwritten unseen. Caller holds
     * the lock.
     */
    private CommitResult restoreFile(Snapshot cur) {
        byte[] bytes = cur.text().getBytes(StandardCharsets.UTF_8);
        byte[] hash = sha256(bytes);
        try {
            byte[] onDisk = sha256(store.readBytes());
            if (Arrays.equals(onDisk, hash)) {
                diskHash = hash;
                return new Committed(cur.version(), null);
            }
            if (!Arrays.equals(onDisk, diskHash) && !Arrays.equals(onDisk, handedHash)
                    && !Arrays.equals(onDisk, refusedHash)) {
                return new Committed(cur.version(), null); // an edit not seen yet: the watcher hands it over
            }
        } catch (IOException e) {
            // missing or unreadable: write it below
        }
        try {
            store.write(cur.text(), null, 0);
        } catch (IOException e) {
            return new StoreFailed("cannot write " + store.file() + ": " + e);
        }
        diskHash = hash;
        LOG.log(Level.INFO, "rewrote " + store.file() + " as version " + cur.version());
        return new Committed(cur.version(), null);
    }

    /**
     * Picks up a change made to the file by hand. The {@link HandEditPolicy} decides first: a handed-over edit
     * changes nothing here. Otherwise a valid one is applied and becomes version + 1 (only the version line is
     * rewritten, the {@link CommitGate} may still refuse it); an invalid one is refused with its diagnostics
     * logged, and the running configuration stays.
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
        if (Arrays.equals(hash, diskHash) || Arrays.equals(hash, refusedHash) || Arrays.equals(hash, handedHash)) {
            return false;
        }
        String edited = new String(bytes, StandardCharsets.UTF_8);
        Snapshot seen;
        lock.lock();
        try {
            if (Arrays.equals(hash, diskHash)) {
                return false; // the service wrote it while this was reading
            }
            seen = state;
        } finally {
            lock.unlock();
        }
        // Marked before the policy runs: it may put the file back (restoreFile) before it returns.
        byte[] previouslyHanded = handedHash;
        handedHash = hash;
        if (handEdits.handEdit(seen, edited) == HandEditPolicy.Outcome.HANDED_OVER) {
            return false;
        }
        handedHash = previouslyHanded;
        lock.lock();
        Snapshot applied = null;
        try {
            if (Arrays.equals(hash, diskHash)) {
                return false;
            }
            Snapshot cur = state;
            CommitResult result = commitText(VersionLine.write(edited, cur.version() + 1), cur,
                    new Author(Author.HAND_EDIT, "hand edit of " + store.file()));
            if (result instanceof Invalid invalid) {
                refusedHash = hash;
                LOG.log(Level.ERROR, "refused the hand edit of " + store.file() + "; the running configuration"
                        + " (version " + cur.version() + ") stays:\n"
                        + invalid.listing());
                return false;
            }
            if (!(result instanceof Committed)) {
                refusedHash = hash;
                LOG.log(Level.ERROR, "refused the hand edit of " + store.file() + ": " + result.describe());
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
            if (version != cur.version()) {
                throw new ApiException(409, new Conflict(cur.version(), version, false).describe());
            }
            if (maxOpenTransactions > 0 && transactions.inProgress() >= maxOpenTransactions) {
                throw new ApiException(429, "cannot start a new transaction, reached the maximum amount of "
                        + maxOpenTransactions + " active transactions available");
            }
            try {
                return transactions.begin(cur.version(), cur.document(), cur.text());
            } catch (IOException e) {
                throw new ApiException(500, e.getMessage());
            }
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
            for (Transaction t : transactions.all()) {
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
            return transactions.get(id).orElseThrow(() -> new ApiException(404, "transaction " + id
                    + " does not exist"));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Commits a transaction: one version bump however many changes it holds. A transaction made at an older
     * version becomes outdated ({@link Conflict}); one whose configuration is invalid or refused by the data
     * plane becomes failed.
     */
    public CommitResult commit(String id, Author author) {
        lock.lock();
        try {
            Transaction tx = inProgress(id);
            if (tx == null) {
                return unusable(id, true);
            }
            Snapshot cur = state;
            if (tx.version() != cur.version()) {
                transactions.move(tx, Transaction.Status.OUTDATED);
                return new Conflict(cur.version(), tx.version(), true);
            }
            CommitResult result = commitText(VersionLine.write(tx.document().text(), cur.version() + 1), cur,
                    author);
            switch (result) {
                case Committed c -> transactions.committed(tx);
                case Invalid i -> transactions.move(tx, Transaction.Status.FAILED);
                case ApplyFailed f -> transactions.move(tx, Transaction.Status.FAILED);
                default -> {
                    // a store failure or a refusal of the gate leaves the transaction in progress: it can be
                    // committed again
                }
            }
            return recorded(result);
        } finally {
            lock.unlock();
        }
    }

    public void delete(String id) {
        lock.lock();
        try {
            transactions.delete(transaction(id));
        } catch (IOException e) {
            throw new ApiException(500, "cannot delete the transaction file: " + e);
        } finally {
            lock.unlock();
        }
    }

    /** Transaction {@code id} when it exists and is in progress, else null. */
    private Transaction inProgress(String id) {
        return transactions.get(id).filter(t -> t.status() == Transaction.Status.IN_PROGRESS).orElse(null);
    }

    /** Why transaction {@code id} cannot take a change ({@code commit}: cannot be committed). */
    private TransactionUnusable unusable(String id, boolean commit) {
        return new TransactionUnusable(id, transactions.get(id).map(Transaction::status).orElse(null), commit);
    }

    /** Writes a transaction's staged text: null when done, else the failure. */
    private CommitResult persist(Transaction tx, String text) {
        try {
            transactions.persist(tx, text);
            return null;
        } catch (IOException e) {
            return new StoreFailed("cannot write transaction file " + tx.file() + ": " + e);
        }
    }

    private void loadTransactions() throws IOException {
        transactions.load();
        transactions.outdateUpTo(state.version() - 1);
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
