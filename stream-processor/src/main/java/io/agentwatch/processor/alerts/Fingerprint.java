package io.agentwatch.processor.alerts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.TreeMap;

/**
 * The stable identity of an incident: 16 hex characters of SHA-256 over the rule id and the scope labels,
 * sorted. The same rule and scope always give the same fingerprint, on any instance and after any restart, which
 * is what lets receivers deduplicate (PagerDuty dedup_key, Alertmanager fingerprint).
 */
public final class Fingerprint {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Fingerprint() {
    }

    public static String of(String ruleId, Map<String, String> scope) {
        StringBuilder text = new StringBuilder(ruleId);
        for (Map.Entry<String, String> e : new TreeMap<>(scope).entrySet()) {
            if (e.getValue() != null) {
                text.append('\n').append(e.getKey()).append('=').append(e.getValue());
            }
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            char[] out = new char[16];
            for (int i = 0; i < 8; i++) {
                out[2 * i] = HEX[(digest[i] >> 4) & 0xf];
                out[2 * i + 1] = HEX[digest[i] & 0xf];
            }
            return new String(out);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
