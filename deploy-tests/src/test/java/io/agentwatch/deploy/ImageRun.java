package io.agentwatch.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.tools.ToolProvider;

/**
 * A service run the way its image runs it, without a container: the Dockerfile's ENTRYPOINT and HEALTHCHECK
 * commands, with the image's {@code /app/lib} and {@code /app/probe} replaced by a directory laid out the same way
 * from the module's build ({@code <module>/target/*.jar} and {@code target/lib}, what the image's build stage
 * copies) and the probe compiled from {@code docker/probe}. The environment is the Dockerfile's ENV plus what the
 * test sets, as a compose file or a pod spec would.
 */
final class ImageRun implements AutoCloseable {
    private final Dockerfile dockerfile;
    private final Path app;
    private final Map<String, String> env;
    private final Path log;
    private Process process;

    private ImageRun(Dockerfile dockerfile, Path app, Map<String, String> env, Path log) {
        this.dockerfile = dockerfile;
        this.app = app;
        this.env = env;
        this.log = log;
    }

    /**
     * @param service the folder under docker/ and the Maven module (stream-processor, alert-sink, ...)
     * @param work    a scratch directory
     * @param env     environment on top of the Dockerfile's ENV
     */
    static ImageRun of(String service, Path work, Map<String, String> env) {
        Dockerfile d = Dockerfile.read(Repo.path("docker/" + service + "/Dockerfile"));
        Path app = work.resolve(service + "-app");
        try {
            Path lib = Files.createDirectories(app.resolve("lib"));
            Path target = Repo.path(service + "/target");
            try (Stream<Path> jars = Files.list(target.resolve("lib"))) {
                for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).toList()) {
                    Files.createSymbolicLink(lib.resolve(jar.getFileName()), jar);
                }
            }
            try (Stream<Path> own = Files.list(target)) {
                for (Path jar : own.filter(p -> p.getFileName().toString().matches(service + "-.*\\.jar")).toList()) {
                    Files.createSymbolicLink(lib.resolve(jar.getFileName()), jar);
                }
            }
            Path probe = Files.createDirectories(app.resolve("probe"));
            int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, "--release", "17", "-d", probe.toString(),
                    Repo.path("docker/probe/HealthProbe.java").toString());
            if (rc != 0) {
                throw new IllegalStateException("docker/probe/HealthProbe.java does not compile");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> all = new HashMap<>(d.env());
        all.putAll(env);
        mapPreload(all);
        return new ImageRun(d, app, all, work.resolve(service + ".log"));
    }

    /**
     * The image preloads a library (jemalloc) from its own path: the same library from this machine's library
     * directory when it is installed here, none otherwise (the dynamic loader would only warn that it cannot).
     */
    private static void mapPreload(Map<String, String> env) {
        String preload = env.get("LD_PRELOAD");
        if (preload == null || Files.isReadable(Path.of(preload))) {
            return;
        }
        String name = Path.of(preload).getFileName().toString();
        Optional<Path> here = Stream.of("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib")
                .map(dir -> Path.of(dir, name)).filter(Files::isReadable).findFirst();
        if (here.isPresent()) {
            env.put("LD_PRELOAD", here.get().toString());
        } else {
            env.remove("LD_PRELOAD");
        }
    }

    /** Starts the ENTRYPOINT. */
    ImageRun start() throws IOException {
        ProcessBuilder pb = new ProcessBuilder(mapped(dockerfile.entrypoint()));
        pb.environment().keySet().removeIf(k -> k.startsWith("AGENTWATCH_") || k.startsWith("KAFKA_") || k.equals("JDK_JAVA_OPTIONS"));
        pb.environment().putAll(env);
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        process = pb.start();
        return this;
    }

    /** Runs the HEALTHCHECK command once; its exit code. */
    int healthcheck() throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(mapped(dockerfile.healthcheck()));
        pb.environment().keySet().removeIf(k -> k.startsWith("AGENTWATCH_"));
        pb.environment().putAll(env);
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }

    /** The command with the image's paths mapped to the local layout and {@code java} to this JVM's launcher. */
    List<String> mapped(List<String> command) {
        List<String> out = new ArrayList<>();
        for (String part : command) {
            out.add(part.replace("/app/", app.toString() + "/"));
        }
        if (out.get(0).equals("java")) {
            out.set(0, Path.of(System.getProperty("java.home"), "bin", "java").toString());
        }
        return out;
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** SIGTERM, as a container stop sends; the exit code, or -1 if it had to be killed after the timeout. */
    int stop(Duration timeout) throws InterruptedException {
        if (process == null) {
            return 0;
        }
        process.destroy();
        if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return process.exitValue();
        }
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        return -1;
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            stop(Duration.ofSeconds(45));
        }
    }
}
