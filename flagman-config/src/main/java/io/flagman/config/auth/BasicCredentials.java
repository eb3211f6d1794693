package io.flagman.config.auth;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * The user and password of an HTTP {@code Authorization: Basic <base64(user:password)>} header (RFC 7617). The
 * one parser of both planes: the data plane's {@code http_auth} / {@code http-request auth} and the Data Plane
 * API's authentication.
 *
 * <p>{@link #parse} refuses (empty result), without decoding anything expensive:
 * <ul>
 *   <li>a value longer than {@link #MAX_HEADER_LENGTH} characters (so no client can make a password check
 *       hash megabytes: a crypt's cost grows with the password's length);
 *   <li>a scheme other than {@code Basic} (compared case-insensitively, as RFC 9110 says) or no space after it;
 *   <li>credentials that are not strict base64, or do not decode as UTF-8;
 *   <li>no {@code :} in the decoded text, an empty user, a control character in the user or the password.
 * </ul>
 *
 * @param user the user-id (everything before the first {@code :})
 * @param password everything after it (may contain {@code :}, may be empty)
 */
public record BasicCredentials(String user, String password) {

    /**
     * The longest {@code Authorization} value accepted, in characters: {@code Basic } plus 1,016 characters of
     * base64, i.e. up to 762 bytes of {@code user:password}. Longer values are refused before any decoding.
     */
    public static final int MAX_HEADER_LENGTH = 1024;

    private static final String SCHEME = "Basic";

    @Override
    public String toString() {
        return "BasicCredentials[user=" + user + ", password=<hidden>]";
    }

    /** The credentials of an {@code Authorization} header value (null when absent); empty when it has none. */
    public static Optional<BasicCredentials> parse(String header) {
        if (header == null || header.length() > MAX_HEADER_LENGTH) {
            return Optional.empty();
        }
        String v = header.strip();
        int n = SCHEME.length();
        if (v.length() <= n || !v.regionMatches(true, 0, SCHEME, 0, n) || (v.charAt(n) != ' ' && v.charAt(n) != '\t')) {
            return Optional.empty();
        }
        String token = v.substring(n).strip();
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0 || hasControl(decoded)) {
            return Optional.empty();
        }
        return Optional.of(new BasicCredentials(decoded.substring(0, colon), decoded.substring(colon + 1)));
    }

    private static boolean hasControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return true;
            }
        }
        return false;
    }
}
