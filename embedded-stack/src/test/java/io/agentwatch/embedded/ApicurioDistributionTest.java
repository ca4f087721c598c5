package io.agentwatch.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The download, checksum and unpack path of the registry distribution, against a local stand-in for Maven Central. */
class ApicurioDistributionTest {
    private static final String PATH = "/maven2/io/apicurio/apicurio-registry-app/3.0.9/apicurio-registry-app-3.0.9-all.zip";

    @TempDir
    Path repo;
    @TempDir
    Path cache;

    private HttpServer server;
    private final AtomicInteger zipDownloads = new AtomicInteger();
    private byte[] zip;
    private String sha1;

    @BeforeEach
    void serveAFakeDistribution() throws Exception {
        zip = zipWith(ApicurioDistribution.RUNNER_JAR, "runner", "lib/some.jar", "lib");
        sha1 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(zip));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            byte[] body;
            if (path.equals(PATH)) {
                zipDownloads.incrementAndGet();
                body = zip;
            } else if (path.equals(PATH + ".sha1")) {
                body = sha1.getBytes(StandardCharsets.US_ASCII);
            } else {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
                return;
            }
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    @Test
    void shouldDownloadVerifyAndUnpackOnFirstUseThenReuseTheCache() throws Exception {
        ApicurioDistribution distribution = new ApicurioDistribution(repo, cache, mirror());

        Path jar = distribution.runnerJar();

        assertThat(jar).hasContent("runner");
        assertThat(jar.getParent().resolve("lib/some.jar")).hasContent("lib");
        assertThat(distribution.zipFile()).isEqualTo(repo.resolve(PATH.substring("/maven2/".length())));
        assertThat(distribution.zipFile().resolveSibling(distribution.zipFile().getFileName() + ".sha1")).hasContent(sha1);

        server.stop(0);
        assertThat(new ApicurioDistribution(repo, cache, mirror()).runnerJar()).isEqualTo(jar);
        assertThat(zipDownloads).hasValue(1);
    }

    @Test
    void shouldUnpackFromTheLocalRepositoryWithoutDownloadingWhenTheZipIsThere() throws Exception {
        ApicurioDistribution distribution = new ApicurioDistribution(repo, cache, mirror());
        Files.createDirectories(distribution.zipFile().getParent());
        Files.write(distribution.zipFile(), zip);
        Files.writeString(distribution.zipFile().resolveSibling(distribution.zipFile().getFileName() + ".sha1"), sha1);

        assertThat(distribution.runnerJar()).hasContent("runner");
        assertThat(zipDownloads).hasValue(0);
    }

    @Test
    void shouldRefuseADownloadWhoseChecksumDoesNotMatch() {
        sha1 = "0000000000000000000000000000000000000000";
        ApicurioDistribution distribution = new ApicurioDistribution(repo, cache, mirror());

        assertThatThrownBy(distribution::runnerJar).hasMessageContaining("checksum mismatch");
        assertThat(distribution.zipFile()).doesNotExist();
        assertThat(distribution.installDir()).doesNotExist();
    }

    @Test
    void shouldSayWhatItTriedWhenTheMirrorIsUnreachable() {
        server.stop(0);
        ApicurioDistribution distribution = new ApicurioDistribution(repo, cache, mirror());

        assertThatThrownBy(distribution::runnerJar)
                .hasMessageContaining("cannot download " + mirror())
                .hasMessageContaining("agentwatch.maven.mirror");
    }

    private URI mirror() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/maven2");
    }

    private static byte[] zipWith(String name1, String content1, String name2, String content2) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            out.putNextEntry(new ZipEntry("lib/"));
            out.closeEntry();
            out.putNextEntry(new ZipEntry(name1));
            out.write(content1.getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
            out.putNextEntry(new ZipEntry(name2));
            out.write(content2.getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return bytes.toByteArray();
    }
}
