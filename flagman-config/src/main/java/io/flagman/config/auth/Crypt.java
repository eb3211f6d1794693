package io.flagman.config.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * crypt(3) for the hashes HAProxy userlists use: SHA-crypt ({@code $5$} SHA-256, {@code $6$} SHA-512, with an
 * optional {@code rounds=N$}) after Ulrich Drepper's specification, and MD5-crypt ({@code $1$}). The JDK has no
 * crypt, and these are what {@code openssl passwd -5|-6|-1} and {@code mkpasswd} produce. One implementation for
 * both planes: the Data Plane API's users and the data plane's {@code http_auth} / {@code http-request auth}.
 */
public final class Crypt {

    private static final String ITOA64 = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final int ROUNDS_DEFAULT = 5000;
    private static final int ROUNDS_MIN = 1000;
    private static final int ROUNDS_MAX = 999_999_999;

    private static final int[][] SHA256_ORDER = {{0, 10, 20}, {21, 1, 11}, {12, 22, 2}, {3, 13, 23}, {24, 4, 14},
        {15, 25, 5}, {6, 16, 26}, {27, 7, 17}, {18, 28, 8}, {9, 19, 29}};
    private static final int[][] SHA512_ORDER = {{0, 21, 42}, {22, 43, 1}, {44, 2, 23}, {3, 24, 45}, {25, 46, 4},
        {47, 5, 26}, {6, 27, 48}, {28, 49, 7}, {50, 8, 29}, {9, 30, 51}, {31, 52, 10}, {53, 11, 32}, {12, 33, 54},
        {34, 55, 13}, {56, 14, 35}, {15, 36, 57}, {37, 58, 16}, {59, 17, 38}, {18, 39, 60}, {40, 61, 19},
        {62, 20, 41}};

    private Crypt() {}

    /** True when {@code hash} is a crypt string this class can verify. */
    public static boolean supported(String hash) {
        return hash != null && (hash.startsWith("$1$") || hash.startsWith("$5$") || hash.startsWith("$6$"));
    }

    /**
     * Computes crypt({@code password}, {@code setting}) where {@code setting} is a full hash or just its
     * {@code $id$[rounds=N$]salt} prefix.
     *
     * @throws IllegalArgumentException for an unsupported or malformed setting
     */
    public static String crypt(String password, String setting) {
        byte[] pw = password.getBytes(StandardCharsets.UTF_8);
        if (setting.startsWith("$5$")) {
            return shaCrypt(pw, setting, "SHA-256", "$5$", 32);
        }
        if (setting.startsWith("$6$")) {
            return shaCrypt(pw, setting, "SHA-512", "$6$", 64);
        }
        if (setting.startsWith("$1$")) {
            return md5Crypt(pw, setting);
        }
        throw new IllegalArgumentException("unsupported hash: only $1$, $5$ and $6$ crypt hashes are supported");
    }

    /** Constant-time check of {@code password} against a crypt {@code hash}; false for malformed hashes. */
    public static boolean verify(String password, String hash) {
        String computed;
        try {
            computed = crypt(password, hash);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(computed.getBytes(StandardCharsets.UTF_8), hash.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Checks a password against a userlist user's: a crypt hash ({@code password <hash>}, {@code hashed}) or a
     * clear text ({@code insecure-password}). Both compare in constant time (clear texts as SHA-256 digests, so
     * that not even their length leaks).
     */
    public static boolean matches(String password, String stored, boolean hashed) {
        if (hashed) {
            return verify(password, stored);
        }
        return MessageDigest.isEqual(sha256(password), sha256(stored));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String shaCrypt(byte[] pw, String setting, String algorithm, String prefix, int size) {
        String rest = setting.substring(prefix.length());
        int rounds = ROUNDS_DEFAULT;
        boolean customRounds = false;
        if (rest.startsWith("rounds=")) {
            int end = rest.indexOf('$');
            if (end < 0) {
                throw new IllegalArgumentException("malformed rounds in hash");
            }
            try {
                rounds = Integer.parseInt(rest.substring("rounds=".length(), end));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("malformed rounds in hash");
            }
            rounds = Math.max(ROUNDS_MIN, Math.min(ROUNDS_MAX, rounds));
            customRounds = true;
            rest = rest.substring(end + 1);
        }
        int end = rest.indexOf('$');
        String saltText = end < 0 ? rest : rest.substring(0, end);
        if (saltText.length() > 16) {
            saltText = saltText.substring(0, 16);
        }
        byte[] salt = saltText.getBytes(StandardCharsets.UTF_8);

        MessageDigest b = digest(algorithm);
        b.update(pw);
        b.update(salt);
        b.update(pw);
        byte[] bResult = b.digest();

        MessageDigest a = digest(algorithm);
        a.update(pw);
        a.update(salt);
        int cnt;
        for (cnt = pw.length; cnt > size; cnt -= size) {
            a.update(bResult, 0, size);
        }
        a.update(bResult, 0, cnt);
        for (cnt = pw.length; cnt > 0; cnt >>= 1) {
            if ((cnt & 1) != 0) {
                a.update(bResult, 0, size);
            } else {
                a.update(pw);
            }
        }
        byte[] aResult = a.digest();

        MessageDigest dp = digest(algorithm);
        for (int i = 0; i < pw.length; i++) {
            dp.update(pw);
        }
        byte[] dpResult = dp.digest();
        byte[] p = repeat(dpResult, pw.length, size);

        MessageDigest ds = digest(algorithm);
        for (int i = 0; i < 16 + (aResult[0] & 0xff); i++) {
            ds.update(salt);
        }
        byte[] dsResult = ds.digest();
        byte[] s = repeat(dsResult, salt.length, size);

        byte[] c = aResult;
        for (int i = 0; i < rounds; i++) {
            MessageDigest r = digest(algorithm);
            if ((i & 1) != 0) {
                r.update(p);
            } else {
                r.update(c, 0, size);
            }
            if (i % 3 != 0) {
                r.update(s);
            }
            if (i % 7 != 0) {
                r.update(p);
            }
            if ((i & 1) != 0) {
                r.update(c, 0, size);
            } else {
                r.update(p);
            }
            c = r.digest();
        }

        StringBuilder out = new StringBuilder(prefix);
        if (customRounds) {
            out.append("rounds=").append(rounds).append('$');
        }
        out.append(saltText).append('$');
        if (size == 32) {
            for (int[] o : SHA256_ORDER) {
                b64(out, c[o[0]], c[o[1]], c[o[2]], 4);
            }
            b64(out, (byte) 0, c[31], c[30], 3);
        } else {
            for (int[] o : SHA512_ORDER) {
                b64(out, c[o[0]], c[o[1]], c[o[2]], 4);
            }
            b64(out, (byte) 0, (byte) 0, c[63], 2);
        }
        return out.toString();
    }

    private static String md5Crypt(byte[] pw, String setting) {
        String rest = setting.substring(3);
        int end = rest.indexOf('$');
        String saltText = end < 0 ? rest : rest.substring(0, end);
        if (saltText.length() > 8) {
            saltText = saltText.substring(0, 8);
        }
        byte[] salt = saltText.getBytes(StandardCharsets.UTF_8);
        MessageDigest alt = digest("MD5");
        alt.update(pw);
        alt.update(salt);
        alt.update(pw);
        byte[] fin = alt.digest();
        MessageDigest ctx = digest("MD5");
        ctx.update(pw);
        ctx.update("$1$".getBytes(StandardCharsets.US_ASCII));
        ctx.update(salt);
        for (int pl = pw.length; pl > 0; pl -= 16) {
            ctx.update(fin, 0, Math.min(pl, 16));
        }
        for (int i = pw.length; i != 0; i >>>= 1) {
            if ((i & 1) != 0) {
                ctx.update((byte) 0);
            } else {
                ctx.update(pw, 0, 1);
            }
        }
        fin = ctx.digest();
        for (int i = 0; i < 1000; i++) {
            MessageDigest c1 = digest("MD5");
            if ((i & 1) != 0) {
                c1.update(pw);
            } else {
                c1.update(fin);
            }
            if (i % 3 != 0) {
                c1.update(salt);
            }
            if (i % 7 != 0) {
                c1.update(pw);
            }
            if ((i & 1) != 0) {
                c1.update(fin);
            } else {
                c1.update(pw);
            }
            fin = c1.digest();
        }
        StringBuilder out = new StringBuilder("$1$").append(saltText).append('$');
        b64(out, fin[0], fin[6], fin[12], 4);
        b64(out, fin[1], fin[7], fin[13], 4);
        b64(out, fin[2], fin[8], fin[14], 4);
        b64(out, fin[3], fin[9], fin[15], 4);
        b64(out, fin[4], fin[10], fin[5], 4);
        b64(out, (byte) 0, (byte) 0, fin[11], 2);
        return out.toString();
    }

    private static byte[] repeat(byte[] block, int length, int size) {
        byte[] out = new byte[length];
        for (int i = 0; i < length; i += size) {
            System.arraycopy(block, 0, out, i, Math.min(size, length - i));
        }
        return out;
    }

    private static void b64(StringBuilder out, byte b2, byte b1, byte b0, int n) {
        int w = ((b2 & 0xff) << 16) | ((b1 & 0xff) << 8) | (b0 & 0xff);
        for (int i = 0; i < n; i++) {
            out.append(ITOA64.charAt(w & 0x3f));
            w >>>= 6;
        }
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is part of every JDK", e);
        }
    }
}
