package io.agentwatch.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Apicurio Registry server distribution ({@code io.apicurio:apicurio-registry-app:3.0.9:zip:all}), fetched
 * from Maven Central on first use and kept in the local Maven repository at its standard path (where
 * {@code mvn dependency:get} would put it, so both share it), checked against Central's SHA-1, and unzipped once
 * into a cache directory. Several JVMs may ask at once (parallel builds on one machine): a file lock serializes
 * them, and both the download and the unzip land with an atomic rename, so no one ever sees half a file.
 *
 * <p>Locations, each overridable by a system property or an environment variable:
 * {@code agentwatch.maven.repo} / {@code AGENTWATCH_MAVEN_REPO} (default {@code ~/.m2/repository}),
 * {@code agentwatch.cache.dir} / {@code AGENTWATCH_CACHE_DIR} (default {@code ~/.cache/agentwatch}),
 * {@code agentwatch.maven.mirror} / {@code AGENTWATCH_MAVEN_MIRROR} (default {@code https://repo1.maven.org/maven2}).
 */
public final class ApicurioDistribution {
    public static final String VERSION = "3.0.9";
    public static final String RUNNER_JAR = "apicurio-registry-app-" + VERSION + "-runner.jar";
    private static final String ARTIFACT_PATH = "io/apicurio/apicurio-registry-app/" + VERSION + "/apicurio-registry-app-" + VERSION + "-all.zip";
    private static final String COMPLETE_MARKER = ".complete";
    private static final Object JVM_LOCK = new Object();
    private static final Logger log = LoggerFactory.getLogger(ApicurioDistribution.class);

    private final Path repository;
    private final Path cacheDir;
    private final URI mirror;

    public ApicurioDistribution(Path repository, Path cacheDir, URI mirror) {
        this.repository = repository.toAbsolutePath();
        this.cacheDir = cacheDir.toAbsolutePath();
        String base = mirror.toString();
        this.mirror = URI.create(base.endsWith("/") ? base : base + "/");
    }

    /** The locations from system properties, environment variables or the defaults. */
    public static ApicurioDistribution fromEnvironment() {
        Path home = Path.of(System.getProperty("user.home"));
        return new ApicurioDistribution(
                Path.of(setting("agentwatch.maven.repo", home.resolve(".m2").resolve("repository").toString())),
                Path.of(setting("agentwatch.cache.dir", home.resolve(".cache").resolve("agentwatch").toString())),
                URI.create(setting("agentwatch.maven.mirror", "https://repo1.maven.org/maven2")));
    }

    private static String setting(String property, String dflt) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(property.toUpperCase(Locale.ROOT).replace('.', '_'));
        }
        return value == null || value.isBlank() ? dflt : value;
    }

    /** Where the zip lives in the local Maven repository. */
    public Path zipFile() {
        return repository.resolve(ARTIFACT_PATH);
    }

    /** The directory the zip is unpacked into. */
    public Path installDir() {
        return cacheDir.resolve("apicurio-registry-app-" + VERSION);
    }

    /** The server's runner jar, downloading and unpacking the distribution first if this machine has not yet. */
    public Path runnerJar() {
        Path jar = installDir().resolve(RUNNER_JAR);
        if (Files.exists(installDir().resolve(COMPLETE_MARKER))) {
            return jar;
        }
        synchronized (JVM_LOCK) {
            try {
                Files.createDirectories(cacheDir);
                try (FileChannel channel = FileChannel.open(cacheDir.resolve("apicurio-" + VERSION + ".lock"),
                        StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                    FileLock lock = channel.lock(); // another JVM may be installing: wait for it
                    try {
                        if (!Files.exists(installDir().resolve(COMPLETE_MARKER))) {
                            unpack(ensureZip());
                        }
                    } finally {
                        lock.release();
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot install Apicurio Registry " + VERSION + " into " + installDir() + ": " + e.getMessage(), e);
            }
        }
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("the Apicurio Registry distribution in " + installDir() + " has no " + RUNNER_JAR);
        }
        return jar;
    }

    private Path ensureZip() throws IOException {
        Path zip = zipFile();
        Path sha1File = zip.resolveSibling(zip.getFileName() + ".sha1");
        if (Files.isRegularFile(zip) && Files.isRegularFile(sha1File) && sha1(zip).equals(expectedSha1(Files.readString(sha1File)))) {
            return zip;
        }
        Files.createDirectories(zip.getParent());
        URI url = mirror.resolve(ARTIFACT_PATH);
        log.info("downloading Apicurio Registry {} (about 120 MB, once) from {}", VERSION, url);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20)).followRedirects(HttpClient.Redirect.NORMAL).build();
        String expected = expectedSha1(get(http, URI.create(url + ".sha1"), HttpResponse.BodyHandlers.ofString()).body());
        Path part = zip.resolveSibling(zip.getFileName() + ".part-" + UUID.randomUUID());
        try {
            get(http, url, HttpResponse.BodyHandlers.ofFile(part));
            String actual = sha1(part);
            if (!actual.equals(expected)) {
                throw new IOException("checksum mismatch for " + url + ": SHA-1 " + actual + ", expected " + expected);
            }
            Files.writeString(sha1File, expected, StandardCharsets.US_ASCII);
            Files.move(part, zip, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(part);
        }
        log.info("downloaded {} ({} bytes, SHA-1 verified)", zip, Files.size(zip));
        return zip;
    }

    private static <T> HttpResponse<T> get(HttpClient http, URI url, HttpResponse.BodyHandler<T> handler) throws IOException {
        try {
            HttpResponse<T> response = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofMinutes(10)).build(), handler);
            if (response.statusCode() != 200) {
                throw new IOException("GET " + url + " answered HTTP " + response.statusCode());
            }
            return response;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while downloading " + url, e);
        } catch (IOException e) {
            throw new IOException("cannot download " + url + " (Maven Central must be reachable on first use; "
                    + "set agentwatch.maven.mirror to use a mirror): " + e.getMessage(), e);
        }
    }

    private void unpack(Path zip) throws IOException {
        Path target = installDir();
        Path tmp = cacheDir.resolve(target.getFileName() + ".tmp-" + UUID.randomUUID());
        log.info("unpacking {} into {}", zip.getFileName(), target);
        try {
            try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
                for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                    Path out = tmp.resolve(entry.getName()).normalize();
                    if (!out.startsWith(tmp)) {
                        throw new IOException("zip entry escapes the target directory: " + entry.getName());
                    }
                    if (entry.isDirectory()) {
                        Files.createDirectories(out);
                    } else {
                        Files.createDirectories(out.getParent());
                        Files.copy(in, out);
                    }
                }
            }
            Files.createFile(tmp.resolve(COMPLETE_MARKER));
            deleteTree(target); // a half-unpacked directory left by an older, interrupted version of this code
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException e) {
                log.debug("{} appeared meanwhile; keeping it", target);
            }
        } finally {
            deleteTree(tmp);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static String expectedSha1(String sha1FileContent) throws IOException {
        String trimmed = sha1FileContent.trim();
        String hash = trimmed.isEmpty() ? "" : trimmed.split("\\s+")[0].toLowerCase(Locale.ROOT);
        if (!hash.matches("[0-9a-f]{40}")) {
            throw new IOException("not a SHA-1 checksum: '" + (trimmed.length() > 60 ? trimmed.substring(0, 60) : trimmed) + "'");
        }
        return hash;
    }

    static String sha1(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-1", e);
        }
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
