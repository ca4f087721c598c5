package io.agentwatch.schema.registry;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach a schema registry that speaks the Confluent REST API. Built from the same property names
 * Confluent's clients use, so an existing client configuration works unchanged. {@link #toString()} never
 * shows a credential.
 *
 * @param urls           one or more base URLs; the client fails over between them on connection errors
 * @param basicUserInfo  {@code user:password} for HTTP basic auth, if any
 * @param bearerToken    a static bearer token, if any (wins over basic auth when both are set)
 * @param connectTimeout TCP connect timeout
 * @param requestTimeout timeout of one HTTP request
 * @param maxRetries     retries after the first attempt, on connection errors and 5xx answers
 * @param retryBackoff   first backoff; doubled on every retry, with jitter
 */
public record RegistryConfig(
        List<URI> urls,
        Optional<String> basicUserInfo,
        Optional<String> bearerToken,
        Duration connectTimeout,
        Duration requestTimeout,
        int maxRetries,
        Duration retryBackoff) {

    public static final String URL = "schema.registry.url";
    public static final String BASIC_AUTH_SOURCE = "basic.auth.credentials.source";
    public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
    public static final String BEARER_AUTH_SOURCE = "bearer.auth.credentials.source";
    public static final String BEARER_AUTH_TOKEN = "bearer.auth.token";
    public static final String CONNECT_TIMEOUT_MS = "schema.registry.connect.timeout.ms";
    public static final String REQUEST_TIMEOUT_MS = "schema.registry.request.timeout.ms";
    public static final String RETRIES = "schema.registry.retries";
    public static final String RETRY_BACKOFF_MS = "schema.registry.retry.backoff.ms";

    public RegistryConfig {
        Objects.requireNonNull(urls, "urls");
        if (urls.isEmpty()) {
            throw new IllegalArgumentException(URL + " must name at least one registry URL");
        }
        urls = List.copyOf(urls);
        Objects.requireNonNull(basicUserInfo, "basicUserInfo");
        Objects.requireNonNull(bearerToken, "bearerToken");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(retryBackoff, "retryBackoff");
        if (maxRetries < 0) {
            throw new IllegalArgumentException(RETRIES + " must be >= 0, was " + maxRetries);
        }
        basicUserInfo.ifPresent(info -> {
            if (info.indexOf(':') < 0) {
                throw new IllegalArgumentException(BASIC_AUTH_USER_INFO + " must have the form user:password");
            }
        });
    }

    /** A registry at one URL, no credentials, default timeouts and retries. */
    public static RegistryConfig of(String url) {
        return fromProperties(Map.of(URL, url));
    }

    /** Reads the Confluent client property names; unknown keys are ignored (they belong to the Kafka client). */
    public static RegistryConfig fromProperties(Map<String, ?> props) {
        Object url = props.get(URL);
        if (url == null || url.toString().isBlank()) {
            throw new IllegalArgumentException("missing required setting " + URL);
        }
        List<URI> urls = new ArrayList<>();
        for (String part : url.toString().split(",")) {
            String trimmed = part.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            URI uri = URI.create(trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed);
            if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                throw new IllegalArgumentException(URL + " must be http(s) URLs, got '" + trimmed + "'");
            }
            urls.add(uri);
        }
        Optional<String> basic = Optional.empty();
        Object source = props.get(BASIC_AUTH_SOURCE);
        Object userInfo = props.get(BASIC_AUTH_USER_INFO);
        if (userInfo != null && !userInfo.toString().isEmpty()) {
            if (source != null && !"USER_INFO".equalsIgnoreCase(source.toString())) {
                throw new IllegalArgumentException(BASIC_AUTH_SOURCE + " supports only USER_INFO, got " + source);
            }
            basic = Optional.of(userInfo.toString());
        }
        Optional<String> bearer = Optional.empty();
        Object token = props.get(BEARER_AUTH_TOKEN);
        if (token != null && !token.toString().isEmpty()) {
            Object bearerSource = props.get(BEARER_AUTH_SOURCE);
            if (bearerSource != null && !"STATIC_TOKEN".equalsIgnoreCase(bearerSource.toString())) {
                throw new IllegalArgumentException(BEARER_AUTH_SOURCE + " supports only STATIC_TOKEN, got " + bearerSource);
            }
            bearer = Optional.of(token.toString());
        }
        return new RegistryConfig(
                urls,
                basic,
                bearer,
                Duration.ofMillis(longProp(props, CONNECT_TIMEOUT_MS, 5_000)),
                Duration.ofMillis(longProp(props, REQUEST_TIMEOUT_MS, 10_000)),
                (int) longProp(props, RETRIES, 3),
                Duration.ofMillis(longProp(props, RETRY_BACKOFF_MS, 200)));
    }

    private static long longProp(Map<String, ?> props, String key, long dflt) {
        Object v = props.get(key);
        if (v == null || v.toString().isBlank()) {
            return dflt;
        }
        try {
            return Long.parseLong(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, got '" + v + "'", e);
        }
    }

    @Override
    public String toString() {
        return "RegistryConfig[urls=" + urls
                + ", basicAuth=" + (basicUserInfo.isPresent() ? "user '" + basicUserInfo.get().substring(0, basicUserInfo.get().indexOf(':')) + "', password [hidden]" : "none")
                + ", bearerToken=" + (bearerToken.isPresent() ? "[hidden]" : "none")
                + ", connectTimeout=" + connectTimeout
                + ", requestTimeout=" + requestTimeout
                + ", maxRetries=" + maxRetries
                + ", retryBackoff=" + retryBackoff + "]";
    }
}
