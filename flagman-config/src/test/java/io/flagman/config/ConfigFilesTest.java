package io.flagman.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.flagman.config.parse.ConfigParser;
import io.flagman.config.text.ConfigDocument;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFilesTest {

    @TempDir
    Path dir;

    @Test
    void listsEveryFileTheConfigurationReadsOnceInOrder() {
        var parsed = ConfigParser.parse(ConfigDocument.parse("t.cfg", """
                defaults
                    mode http
                    errorfile 503 /e/503.http

                frontend web
                    bind 127.0.0.1:443 ssl crt /certs/site.pem
                    bind 127.0.0.1:80
                    acl blocked src -f /lists/blocked.lst
                    http-request return status 200 content-type text/plain lf-file /pages/hello.txt if { path -f /lists/paths.lst }
                    http-request deny if blocked
                    use_backend app if { hdr(host) -f /lists/hosts.lst }
                    default_backend app

                backend app
                    errorfile 502 /e/502.http
                    http-request return status 403 content-type text/plain file /pages/403.txt
                    server s1 127.0.0.1:8080
                """));
        assertThat(parsed.diagnostics()).isEmpty();
        var config = parsed.config();
        assertThat(ConfigFiles.of(config)).containsExactly("/certs/site.pem", "/e/503.http", "/lists/blocked.lst",
                "/pages/hello.txt", "/lists/paths.lst", "/lists/hosts.lst", "/e/502.http", "/pages/403.txt");
    }

    @Test
    void aDigestFollowsContentNotTimesAndSymlinks() throws Exception {
        Path a = Files.writeString(dir.resolve("a.pem"), "one");
        Path b = Files.writeString(dir.resolve("b.pem"), "two");
        Path link = Files.createSymbolicLink(dir.resolve("live.pem"), a);
        String before = ConfigFiles.digest(link);
        assertThat(before).isEqualTo(ConfigFiles.digest(a));

        Files.setLastModifiedTime(a, java.nio.file.attribute.FileTime.fromMillis(0));
        assertThat(ConfigFiles.digest(link)).as("a new mtime alone is no change").isEqualTo(before);

        Files.delete(link);
        Files.createSymbolicLink(link, b);
        assertThat(ConfigFiles.digest(link)).isEqualTo(ConfigFiles.digest(b)).isNotEqualTo(before);
        assertThat(ConfigFiles.digest(dir.resolve("gone.pem"))).isEqualTo("missing");

        String directory = ConfigFiles.digest(dir);
        Files.writeString(b, "three");
        assertThat(ConfigFiles.digest(dir)).as("a directory's digest covers its files' content")
                .isNotEqualTo(directory);
    }
}
