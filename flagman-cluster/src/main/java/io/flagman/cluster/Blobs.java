package io.flagman.cluster;

import io.flagman.control.store.VersionLine;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** Configuration text ⇄ gzip chunks, and the version-independent checksum. */
public final class Blobs {

    /** Chunk size in etcd: below etcd's default 1.5 MiB request limit. */
    public static final int CHUNK_SIZE = 1 << 20;

    private Blobs() {}

    /** Lowercase hex SHA-256 of the UTF-8 text without its {@code # _version} line. */
    public static String checksum(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(VersionLine.strip(text).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, data.length / 4));
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static byte[] gunzip(byte[] data) throws IOException {
        try (GZIPInputStream gz = new GZIPInputStream(new ByteArrayInputStream(data))) {
            return gz.readAllBytes();
        }
    }

    static List<byte[]> split(byte[] data, int chunkSize) {
        List<byte[]> chunks = new ArrayList<>();
        for (int at = 0; at < data.length; at += chunkSize) {
            chunks.add(Arrays.copyOfRange(data, at, Math.min(data.length, at + chunkSize)));
        }
        if (chunks.isEmpty()) {
            chunks.add(new byte[0]);
        }
        return chunks;
    }
}
