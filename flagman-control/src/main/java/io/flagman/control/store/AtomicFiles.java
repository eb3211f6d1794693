package io.flagman.control.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Crash-safe file replacement: write a temporary file in the same directory, force it to disk, rename it over
 * the target atomically, then force the directory so the rename itself is durable. A reader (or a restart after
 * SIGKILL) sees either the old bytes or the new ones, never a mix.
 */
public final class AtomicFiles {

    static final String TEMP_MARK = ".flagman-tmp-";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private AtomicFiles() {}

    /**
     * Replaces {@code target} with {@code bytes}. The new file keeps the permissions of the one it replaces;
     * a new file is created owner-only (it may hold passwords).
     *
     * @throws AtomicMoveNotSupportedException never silently degraded to a non-atomic copy
     */
    public static void write(Path target, byte[] bytes) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Files.createDirectories(dir);
        Set<PosixFilePermission> perms = OWNER_ONLY;
        try {
            perms = Files.getPosixFilePermissions(abs);
        } catch (IOException | UnsupportedOperationException ignored) {
            // new file, or no POSIX attributes: owner-only
        }
        Path tmp = null;
        for (int attempt = 0; tmp == null; attempt++) {
            Path candidate = dir.resolve("." + abs.getFileName() + TEMP_MARK
                    + Long.toHexString(ThreadLocalRandom.current().nextLong()));
            try {
                Files.createFile(candidate, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                tmp = candidate;
            } catch (FileAlreadyExistsException e) {
                if (attempt > 10) {
                    throw e;
                }
            } catch (UnsupportedOperationException e) {
                Files.createFile(candidate);
                tmp = candidate;
            }
        }
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.setPosixFilePermissions(tmp, perms);
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system
            }
            Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE);
            tmp = null;
            forceDirectory(dir);
        } finally {
            if (tmp != null) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /** Makes a completed rename or unlink in {@code dir} durable (Linux: fsync on the directory). */
    public static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException ignored) {
            // some platforms cannot open directories; the rename is still atomic
        }
    }

    /** Deletes temporary files a crash left behind next to {@code target}. */
    public static void cleanTemporaries(Path target) {
        Path abs = target.toAbsolutePath();
        String prefix = "." + abs.getFileName() + TEMP_MARK;
        try (var files = Files.list(abs.getParent())) {
            files.filter(p -> p.getFileName().toString().startsWith(prefix)).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort
                }
            });
        } catch (IOException ignored) {
            // directory unreadable: nothing to clean
        }
    }
}
