package io.agentwatch.reliability.io;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Where this machine keeps jemalloc, the allocator the processor's image preloads (Debian's and Ubuntu's libjemalloc2). */
final class Jemalloc {
    private static final List<String> CANDIDATES = List.of(
            "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2",
            "/usr/lib/aarch64-linux-gnu/libjemalloc.so.2",
            "/usr/lib64/libjemalloc.so.2",
            "/usr/local/lib/libjemalloc.so.2");

    private Jemalloc() {
    }

    /** The shared library, when installed. */
    static Optional<Path> find() {
        return CANDIDATES.stream().map(Path::of).filter(Files::isReadable).findFirst();
    }
}
