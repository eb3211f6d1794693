package io.flagman.proxy.listen;

import io.flagman.config.model.Bind;
import io.flagman.proxy.ApplyException;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A bind's server certificate: the PEM file its {@code crt} names (certificate chain and private key), checked
 * and turned into the {@link SslContext} new handshakes use. Immutable; a listener swaps the whole value when the
 * file changes, so handshakes under way and established connections keep the one they started with.
 */
final class ServerTls {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z ]+)-----\\s*([A-Za-z0-9+/=\\s]+?)-----END \\1-----");

    private final String file;
    private final byte[] digest;
    private final String alpn;
    private final SslContext context;

    private ServerTls(String file, byte[] digest, String alpn, SslContext context) {
        this.file = file;
        this.digest = digest;
        this.alpn = alpn;
        this.context = context;
    }

    SslContext context() {
        return context;
    }

    /** The file that was read (the first {@code .pem} file of a directory). */
    String file() {
        return file;
    }

    /**
     * Reads {@code bind}'s certificate. Returns {@code previous} itself when the file's content is the same, so an
     * apply that did not touch the certificate builds nothing.
     *
     * @throws ApplyException naming the file and what is wrong with it (unreadable, no certificate, no key, a key
     *     that does not belong to the certificate)
     */
    static ServerTls load(Bind bind, String where, ServerTls previous) throws ApplyException {
        if (bind.certificates().isEmpty()) {
            throw new ApplyException(where + ": ssl needs a crt");
        }
        String crt = bind.certificates().get(0);
        Path p;
        byte[] pem;
        try {
            p = pemFile(Path.of(crt));
            pem = Files.readAllBytes(p);
        } catch (IOException | RuntimeException e) {
            throw new ApplyException(where + ": crt '" + crt + "': cannot read: " + e.getMessage(), e);
        }
        byte[] digest = sha256(pem);
        if (previous != null && Arrays.equals(previous.digest, digest) && previous.file.equals(p.toString())
                && Objects.equals(previous.alpn, bind.alpn())) {
            return previous;
        }
        try {
            return new ServerTls(p.toString(), digest, bind.alpn(), build(pem, bind.alpn()));
        } catch (GeneralSecurityException | IOException | IllegalArgumentException e) {
            throw new ApplyException(where + ": crt '" + p + "': " + e.getMessage(), e);
        }
    }

    private static Path pemFile(Path p) throws IOException {
        if (!Files.isDirectory(p)) {
            return p;
        }
        try (var s = Files.list(p)) {
            return s.filter(x -> x.toString().endsWith(".pem")).sorted().findFirst()
                    .orElseThrow(() -> new IOException("no .pem file in directory " + p));
        }
    }

    private static SslContext build(byte[] pemBytes, String alpn) throws GeneralSecurityException, IOException {
        String pem = new String(pemBytes, StandardCharsets.US_ASCII);
        List<X509Certificate> chain = new ArrayList<>();
        PrivateKey key = null;
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        Matcher m = BLOCK.matcher(pem);
        while (m.find()) {
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(m.group(2));
            } catch (IllegalArgumentException e) {
                throw new CertificateException("a " + m.group(1) + " block is not valid base64");
            }
            switch (m.group(1)) {
                case "CERTIFICATE" -> chain.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(der)));
                case "PRIVATE KEY" -> key = key != null ? key : pkcs8(der);
                case "RSA PRIVATE KEY", "EC PRIVATE KEY", "ENCRYPTED PRIVATE KEY" -> throw new CertificateException(
                        "the '" + m.group(1) + "' format is not supported (expected an unencrypted PKCS#8 'PRIVATE"
                                + " KEY'; convert it with `openssl pkcs8 -topk8 -nocrypt`)");
                default -> { }
            }
        }
        if (chain.isEmpty()) {
            throw new CertificateException("no certificate in the file (expected a PEM 'CERTIFICATE' block)");
        }
        if (key == null) {
            throw new CertificateException("no private key in the file (expected a PEM 'PRIVATE KEY' block after"
                    + " the certificate)");
        }
        if (!belongsTo(key, chain.getFirst().getPublicKey())) {
            throw new CertificateException("the private key does not match the certificate ("
                    + chain.getFirst().getSubjectX500Principal().getName() + ")");
        }
        SslContextBuilder builder = SslContextBuilder.forServer(key, chain.toArray(X509Certificate[]::new));
        if (alpn != null && alpn.contains("http/1.1")) {
            builder.applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                    ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                    ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, "http/1.1"));
        }
        return builder.build();
    }

    private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : List.of("RSA", "EC", "EdDSA", "DSA")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new CertificateException("the private key is neither RSA, EC, EdDSA nor DSA");
    }

    /** Signs a fixed challenge with {@code key} and verifies it with the certificate's public key. */
    private static boolean belongsTo(PrivateKey key, PublicKey certKey) throws GeneralSecurityException {
        if (!key.getAlgorithm().equals(certKey.getAlgorithm())) {
            return false;
        }
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "DSA" -> "SHA256withDSA";
            default -> key.getAlgorithm(); // Ed25519, Ed448, EdDSA
        };
        byte[] challenge = "flagman certificate check".getBytes(StandardCharsets.US_ASCII);
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update(challenge);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(certKey);
        verifier.update(challenge);
        return verifier.verify(signature);
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
