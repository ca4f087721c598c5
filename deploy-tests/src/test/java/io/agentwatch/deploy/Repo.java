package io.agentwatch.deploy;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository checkout the tests read docker/ and k8s/ from (system property {@code agentwatch.root}, set by the pom). */
final class Repo {
    private Repo() {
    }

    static Path root() {
        String root = System.getProperty("agentwatch.root");
        Path p = root != null ? Path.of(root) : Path.of("..");
        p = p.toAbsolutePath().normalize();
        if (!Files.isDirectory(p.resolve("k8s")) || !Files.isDirectory(p.resolve("docker"))) {
            throw new IllegalStateException(p + " is not the agentwatch repository root (no k8s/ and docker/)");
        }
        return p;
    }

    static Path path(String relative) {
        return root().resolve(relative);
    }
}
