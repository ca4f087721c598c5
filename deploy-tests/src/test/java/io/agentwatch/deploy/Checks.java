package io.agentwatch.deploy;

import java.util.Locale;
import java.util.regex.Pattern;

/** Shared rules of the manifest checks: what a pinned image is, what looks like a secret, sizes and durations. */
final class Checks {
    /** An exact version: 1.2.3, v0.28.1, 17.0.19_10-jre-noble, 3.0.9, 0.1.0-SNAPSHOT; not latest, 17, 17-jre, 3.9. */
    private static final Pattern EXACT_TAG = Pattern.compile("v?\\d+\\.\\d+\\.\\d+([._+-][0-9A-Za-z._-]+)?");
    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
    private static final Pattern SECRET_KEY = Pattern.compile(
            "(?i).*(password|passwd|secret|token|jaas|credential|private|api[_.-]?key|routing[_.-]?key|webhook|user[_.-]?info|\\.key$).*");
    private static final Pattern URL_WITH_USERINFO = Pattern.compile("[a-z][a-z0-9+.-]*://[^/\\s@]+:[^/\\s@]*@");
    private static final Pattern SECRET_VALUE = Pattern.compile(
            "(?is).*(hooks\\.slack\\.com/services/|LoginModule\\s+required|password=|-----BEGIN|events\\.pagerduty\\.com/.{0,20}[0-9a-f]{32}).*");

    private Checks() {
    }

    /** Null if the reference is pinned (exact version tag, optionally with a digest, or a digest), else why not. */
    static String unpinned(String ref) {
        String tagged = ref;
        String digest = null;
        int at = ref.indexOf('@');
        if (at >= 0) {
            tagged = ref.substring(0, at);
            digest = ref.substring(at + 1);
            if (!DIGEST.matcher(digest).matches()) {
                return ref + ": malformed digest";
            }
        }
        int slash = tagged.lastIndexOf('/');
        int colon = tagged.lastIndexOf(':');
        if (colon <= slash) {
            return digest != null ? null : ref + ": no tag and no digest";
        }
        String tag = tagged.substring(colon + 1);
        return EXACT_TAG.matcher(tag).matches() ? null : ref + ": tag '" + tag + "' is not an exact version";
    }

    static boolean hasDigest(String ref) {
        int at = ref.indexOf('@');
        return at >= 0 && DIGEST.matcher(ref.substring(at + 1)).matches();
    }

    /** A key that names a credential (a ConfigMap must not hold one). */
    static boolean secretLookingKey(String key) {
        return SECRET_KEY.matcher(key).matches() && !key.toUpperCase(Locale.ROOT).endsWith("_ENV");
    }

    /** A value that is, or embeds, a credential. */
    static boolean secretLookingValue(String value) {
        return URL_WITH_USERINFO.matcher(value).find() || SECRET_VALUE.matcher(value).matches();
    }

    /** Kubernetes quantity or agentwatch size to bytes: 512Mi, 2Gi, 1280Mi, 512MB, 1GB, 256MB. */
    static long bytes(String quantity) {
        String q = quantity.strip();
        String[][] units = {{"Ki", "1024"}, {"Mi", "1048576"}, {"Gi", "1073741824"}, {"KB", "1024"}, {"MB", "1048576"}, {"GB", "1073741824"},
                {"k", "1000"}, {"M", "1000000"}, {"G", "1000000000"}};
        for (String[] u : units) {
            if (q.endsWith(u[0])) {
                return Long.parseLong(q.substring(0, q.length() - u[0].length())) * Long.parseLong(u[1]);
            }
        }
        return Long.parseLong(q);
    }

    /** 30s, 45s, 1m, 10s -> seconds. */
    static long seconds(String duration) {
        return io.agentwatch.service.Durations.parse(duration).toSeconds();
    }
}
