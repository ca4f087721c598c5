package io.agentwatch.embedded;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The last lines of a log file, for error messages that should show why a child process failed. */
final class LogTail {
    private static final int MAX_BYTES = 16 * 1024;

    private LogTail() {
    }

    static String of(Path file, int lines) {
        if (!Files.isRegularFile(file)) {
            return "(no log at " + file + ")";
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long length = raf.length();
            int size = (int) Math.min(length, MAX_BYTES);
            byte[] bytes = new byte[size];
            raf.seek(length - size);
            raf.readFully(bytes);
            String[] all = new String(bytes, StandardCharsets.UTF_8).split("\r?\n");
            int from = Math.max(0, all.length - lines);
            StringBuilder out = new StringBuilder();
            for (int i = from; i < all.length; i++) {
                out.append("  | ").append(all[i]).append('\n');
            }
            return out.toString();
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }
}
