package io.agentwatch.sink.delivery;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Removes secrets from text before it reaches a log line, an exception message, a dead-letter header or a metric:
 * every known secret value (routing keys, full webhook URLs, their paths and query strings) is replaced by
 * {@code ***}, and {@link #mask(URI)} shows a URL as scheme and host only.
 */
public final class Redactor {
    private final List<String> secrets;

    public Redactor(Collection<String> secretValues) {
        List<String> all = new ArrayList<>();
        for (String s : secretValues) {
            if (s == null || s.length() < 4) {
                continue;
            }
            all.add(s);
            try {
                URI u = URI.create(s);
                if (u.getRawPath() != null && u.getRawPath().length() > 1) {
                    all.add(u.getRawPath());
                }
                if (u.getRawQuery() != null && !u.getRawQuery().isEmpty()) {
                    all.add(u.getRawQuery());
                }
            } catch (IllegalArgumentException ignored) {
                // not a URL: the whole value is enough
            }
        }
        all.sort((a, b) -> Integer.compare(b.length(), a.length()));
        this.secrets = List.copyOf(all);
    }

    /** The text with every secret replaced by {@code ***}. */
    public String clean(String text) {
        if (text == null) {
            return "";
        }
        String out = text;
        for (String s : secrets) {
            out = out.replace(s, "***");
        }
        return out;
    }

    /** A URL as {@code scheme://host:port/***}: enough to tell which endpoint, nothing of its token. */
    public static String mask(URI uri) {
        if (uri == null) {
            return "(none)";
        }
        String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
        return uri.getScheme() + "://" + uri.getHost() + port + "/***";
    }
}
