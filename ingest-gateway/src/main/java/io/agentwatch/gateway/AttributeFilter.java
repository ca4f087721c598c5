package io.agentwatch.gateway;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The allow-list of attributes copied into {@code AgentEvent.attributes}: exact keys, and prefixes written as
 * {@code prefix.*}. Only low-cardinality attributes belong there (the processor segments rules by them), so
 * nothing passes unless listed.
 */
public final class AttributeFilter {
    private final Set<String> exact;
    private final List<String> prefixes;
    /** Exact keys as UTF-8, indexed by their length: most attribute keys are ruled out by length alone. */
    private final byte[][][] exactUtf8ByLength;
    private final byte[][] prefixesUtf8;

    public AttributeFilter(List<String> entries) {
        Set<String> keys = new HashSet<>();
        List<String> pre = new ArrayList<>();
        for (String e : entries) {
            String s = e.strip();
            if (s.isEmpty()) {
                continue;
            }
            if (s.endsWith("*")) {
                pre.add(s.substring(0, s.length() - 1));
            } else {
                keys.add(s);
            }
        }
        this.exact = Set.copyOf(keys);
        this.prefixes = List.copyOf(pre);
        int longest = 0;
        for (String k : exact) {
            longest = Math.max(longest, k.getBytes(StandardCharsets.UTF_8).length);
        }
        byte[][][] byLength = new byte[longest + 1][][];
        for (String k : exact) {
            byte[] utf8 = k.getBytes(StandardCharsets.UTF_8);
            byte[][] same = byLength[utf8.length];
            byLength[utf8.length] = same == null ? new byte[][] {utf8} : Arrays.copyOf(same, same.length + 1);
            byLength[utf8.length][byLength[utf8.length].length - 1] = utf8;
        }
        this.exactUtf8ByLength = byLength;
        this.prefixesUtf8 = prefixes.stream().map(k -> k.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
    }

    public static AttributeFilter none() {
        return new AttributeFilter(List.of());
    }

    public boolean allows(String key) {
        if (exact.contains(key)) {
            return true;
        }
        for (int i = 0; i < prefixes.size(); i++) {
            if (key.startsWith(prefixes.get(i))) {
                return true;
            }
        }
        return false;
    }

    /** {@link #allows(String)} for a key given as UTF-8 bytes, without making a String. */
    public boolean allows(byte[] b, int off, int len) {
        if (len < exactUtf8ByLength.length && exactUtf8ByLength[len] != null) {
            for (byte[] k : exactUtf8ByLength[len]) {
                if (Arrays.equals(k, 0, len, b, off, off + len)) {
                    return true;
                }
            }
        }
        for (byte[] p : prefixesUtf8) {
            if (len >= p.length && Arrays.equals(p, 0, p.length, b, off, off + p.length)) {
                return true;
            }
        }
        return false;
    }

    public boolean isEmpty() {
        return exact.isEmpty() && prefixes.isEmpty();
    }
}
