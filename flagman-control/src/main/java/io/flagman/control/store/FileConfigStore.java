package io.flagman.control.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The configuration file is the store. Every accepted version replaces it atomically ({@link AtomicFiles});
 * the previous text is kept as {@code <basename>.<version>} (the last {@code backupsNumber} of them), and
 * {@code <basename>.lkg} holds the last configuration that was applied successfully.
 */
public final class FileConfigStore {

    private final Path file;
    private final Path backupsDir;
    private final int backupsNumber;

    /**
     * @param backupsDir where backups and the {@code .lkg} copy go; null = the configuration's directory
     * @param backupsNumber how many old versions to keep (0 = none)
     */
    public FileConfigStore(Path file, Path backupsDir, int backupsNumber) {
        this.file = file.toAbsolutePath();
        this.backupsDir = backupsDir == null ? this.file.getParent() : backupsDir.toAbsolutePath();
        this.backupsNumber = Math.max(0, backupsNumber);
    }

    public Path file() {
        return file;
    }

    public Path lkgFile() {
        return backupsDir.resolve(file.getFileName() + ".lkg");
    }

    public Path backupFile(long version) {
        return backupsDir.resolve(file.getFileName() + "." + version);
    }

    /** The file's text, or empty when it does not exist. */
    public Optional<String> read() throws IOException {
        try {
            return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    public byte[] readBytes() throws IOException {
        return Files.readAllBytes(file);
    }

    /**
     * Stores {@code text} as the new configuration; {@code previousText} (version {@code previousVersion}) becomes
     * a backup first when backups are on.
     */
    public void write(String text, String previousText, long previousVersion) throws IOException {
        if (backupsNumber > 0 && previousText != null && previousVersion > 0) {
            AtomicFiles.write(backupFile(previousVersion), previousText.getBytes(StandardCharsets.UTF_8));
            if (previousVersion - backupsNumber > 0) {
                Files.deleteIfExists(backupFile(previousVersion - backupsNumber));
            }
        }
        AtomicFiles.write(file, text.getBytes(StandardCharsets.UTF_8));
    }

    public void writeLkg(String text) throws IOException {
        AtomicFiles.write(lkgFile(), text.getBytes(StandardCharsets.UTF_8));
    }

    public Optional<String> readLkg() throws IOException {
        try {
            return Optional.of(Files.readString(lkgFile(), StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** The text of version {@code version} if it is still kept as a backup. */
    public Optional<String> backup(long version) throws IOException {
        try {
            return Optional.of(Files.readString(backupFile(version), StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** Removes temporary files a crash may have left next to the file, the backups and the lkg. */
    public void cleanTemporaries() {
        AtomicFiles.cleanTemporaries(file);
        AtomicFiles.cleanTemporaries(lkgFile());
    }
}
