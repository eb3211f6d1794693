package io.flagman.control.service;

import io.flagman.config.text.ConfigDocument;
import io.flagman.control.store.AtomicFiles;
import io.flagman.control.store.VersionLine;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Where transactions live: in memory by id, and on disk as {@code <dir>/<basename>.<id>} (in progress),
 * {@code <dir>/failed/…} and {@code <dir>/outdated/…}, so that they survive a restart. Knows nothing of versions
 * being current or of HTTP: {@link ConfigService} decides, this class stores.
 *
 * <p>Not thread-safe: every call is made under the service's lock.
 */
final class TransactionStore {
    private static final System.Logger LOG = System.getLogger("io.flagman.control");
    private static final Pattern UUID_PATTERN =
            Pattern.compile("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");

    private final Path dir;
    private final String baseName;
    private final Map<String, Transaction> transactions = new LinkedHashMap<>();

    /** @param baseName the configuration file's name, the prefix of every transaction file */
    TransactionStore(Path dir, String baseName) {
        this.dir = dir.toAbsolutePath();
        this.baseName = baseName;
    }

    Optional<Transaction> get(String id) {
        return Optional.ofNullable(transactions.get(id));
    }

    /** All transactions, in creation (or load) order. */
    List<Transaction> all() {
        return new ArrayList<>(transactions.values());
    }

    long inProgress() {
        return transactions.values().stream().filter(t -> t.status() == Transaction.Status.IN_PROGRESS).count();
    }

    /**
     * A new in-progress transaction of {@code document} at {@code version}, written to disk.
     *
     * @throws IOException (its message names the file) when it cannot be written
     */
    Transaction begin(long version, ConfigDocument document, String text) throws IOException {
        String id = UUID.randomUUID().toString();
        Transaction tx = new Transaction(id, version, Transaction.Status.IN_PROGRESS, document,
                dir.resolve(baseName + "." + id));
        try {
            persist(tx, text);
        } catch (IOException e) {
            throw new IOException("cannot write transaction file " + tx.file() + ": " + e, e);
        }
        transactions.put(id, tx);
        return tx;
    }

    /** Writes the staged text of {@code tx} (atomically; the directory is created private on first use). */
    void persist(Transaction tx, String text) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            try {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            } catch (UnsupportedOperationException ignored) {
                // not POSIX
            }
        }
        AtomicFiles.write(tx.file(), text.getBytes(StandardCharsets.UTF_8));
    }

    /** The transaction was committed: it is forgotten and its file removed. */
    void committed(Transaction tx) {
        try {
            Files.deleteIfExists(tx.file());
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot delete transaction file " + tx.file() + ": " + e);
        }
        tx.status(Transaction.Status.SUCCESS);
        transactions.remove(tx.id());
    }

    /** Forgets {@code tx} and deletes its file. */
    void delete(Transaction tx) throws IOException {
        transactions.remove(tx.id());
        Files.deleteIfExists(tx.file());
    }

    /** Every in-progress transaction started at or before {@code version} can no longer commit. */
    void outdateUpTo(long version) {
        for (Transaction t : List.copyOf(transactions.values())) {
            if (t.status() == Transaction.Status.IN_PROGRESS && t.version() <= version) {
                move(t, Transaction.Status.OUTDATED);
            }
        }
    }

    /** Gives {@code tx} a final status and moves its file to that status's directory. */
    void move(Transaction tx, Transaction.Status status) {
        tx.status(status);
        Path target = dir.resolve(status.wire());
        try {
            Files.createDirectories(target);
            Path file = target.resolve(tx.file().getFileName());
            Files.move(tx.file(), file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            tx.file(file);
            AtomicFiles.forceDirectory(dir);
        } catch (NoSuchFileException ignored) {
            // already gone
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot move transaction " + tx.id() + " to " + target + ": " + e);
        }
    }

    /** Reads the transactions a previous run left (in progress, failed, outdated). */
    void load() throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        String prefix = baseName + ".";
        load(dir, prefix, Transaction.Status.IN_PROGRESS);
        load(dir.resolve("failed"), prefix, Transaction.Status.FAILED);
        load(dir.resolve("outdated"), prefix, Transaction.Status.OUTDATED);
    }

    private void load(Path from, String prefix, Transaction.Status status) throws IOException {
        if (!Files.isDirectory(from)) {
            return;
        }
        AtomicFiles.cleanTemporaries(from.resolve(prefix));
        try (var files = Files.list(from)) {
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
                        ConfigDocument.parse(baseName, text), p));
            }
        }
    }
}
