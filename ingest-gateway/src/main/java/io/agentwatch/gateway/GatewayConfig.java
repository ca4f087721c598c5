package io.agentwatch.gateway;

import static io.agentwatch.gateway.GatewaySettings.*;

import io.agentwatch.gateway.auth.TenantAuth;
import io.agentwatch.gateway.pricing.PriceTable;
import io.agentwatch.schema.registry.RegistryConfig;
import io.agentwatch.service.Settings;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The gateway's configuration, read once from {@link Settings} and immutable. {@link #toString()} shows no secret
 * (tokens, registry credentials, Kafka credentials).
 */
public record GatewayConfig(
        String host,
        int port,
        int threads,
        int maxRequestBytes,
        String topic,
        RegistryConfig registry,
        boolean autoRegister,
        TenantAuth auth,
        PriceTable prices,
        AttributeFilter attributes,
        Duration maxFutureSkew,
        long maxInflightBytes,
        Duration stallTimeout,
        Duration retryAfter,
        Duration publishTimeout,
        Duration shutdownTimeout,
        Map<String, Object> producer) {

    public GatewayConfig {
        producer = Map.copyOf(producer);
    }

    /** Reads the settings; {@code kafkaOverrides} win over the {@code KAFKA_*} / {@code kafka.*} properties (command-line options). */
    public static GatewayConfig from(Settings s, Map<String, Object> kafkaOverrides) {
        Map<String, Object> registryProps = new LinkedHashMap<>();
        registryProps.put(RegistryConfig.URL, s.string(REGISTRY_URL));
        s.optional(REGISTRY_BASIC_AUTH).ifPresent(v -> registryProps.put(RegistryConfig.BASIC_AUTH_USER_INFO, v));
        s.optional(REGISTRY_BEARER_TOKEN).ifPresent(v -> registryProps.put(RegistryConfig.BEARER_AUTH_TOKEN, v));
        RegistryConfig registry;
        try {
            registry = RegistryConfig.fromProperties(registryProps);
        } catch (IllegalArgumentException e) {
            throw s.invalid(REGISTRY_URL, "is not usable: " + e.getMessage());
        }
        Map<String, Object> kafka = new LinkedHashMap<>(s.kafka());
        s.optional(BOOTSTRAP).ifPresent(v -> kafka.put("bootstrap.servers", v));
        kafka.putAll(kafkaOverrides);
        Duration publishTimeout = positive(s, PUBLISH_TIMEOUT);
        return new GatewayConfig(
                s.string(HTTP_HOST),
                s.integer(HTTP_PORT, 0, 65_535),
                s.integer(HTTP_THREADS, 1, 1024),
                (int) bytes(s, MAX_REQUEST_BYTES, 1024, Integer.MAX_VALUE - 8),
                s.string(EVENTS_TOPIC),
                registry,
                s.bool(AUTO_REGISTER),
                TenantAuth.of(s.optional(AUTH_TOKEN), s.optionalPath(AUTH_TOKENS_FILE)),
                s.optionalPath(PRICE_TABLE_FILE).map(PriceTable::load).orElse(PriceTable.empty()),
                new AttributeFilter(s.list(ATTRIBUTES_ALLOW)),
                s.duration(MAX_FUTURE_SKEW),
                bytes(s, MAX_INFLIGHT_BYTES, 1024, Long.MAX_VALUE),
                positive(s, STALL_TIMEOUT),
                positive(s, RETRY_AFTER),
                publishTimeout,
                s.duration(SHUTDOWN_TIMEOUT),
                ProducerSettings.build(kafka, publishTimeout));
    }

    private static long bytes(Settings s, String key, long min, long max) {
        long n = s.bytes(key);
        if (n < min || n > max) {
            throw s.invalid(key, "must be between " + min + " and " + max + " bytes");
        }
        return n;
    }

    private static Duration positive(Settings s, String key) {
        Duration d = s.duration(key);
        if (d.isZero() || d.isNegative()) {
            throw s.invalid(key, "must be longer than 0");
        }
        return d;
    }

    /** Seconds for a Retry-After header: the retry delay rounded up, at least 1. */
    public long retryAfterSeconds() {
        return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    }

    @Override
    public String toString() {
        Map<String, Object> shownProducer = new LinkedHashMap<>();
        producer.forEach((k, v) -> shownProducer.put(k, Settings.isSensitiveKafkaKey(k) ? "[hidden]" : v));
        return "GatewayConfig[http=" + host + ":" + port + ", threads=" + threads + ", maxRequestBytes=" + maxRequestBytes
                + ", topic=" + topic + ", registry=" + registry + ", autoRegister=" + autoRegister
                + ", auth=" + (auth.enabled() ? "on" : "off") + ", prices=" + prices.size() + " models"
                + ", maxFutureSkew=" + maxFutureSkew + ", maxInflightBytes=" + maxInflightBytes
                + ", stallTimeout=" + stallTimeout + ", retryAfter=" + retryAfter + ", publishTimeout=" + publishTimeout
                + ", shutdownTimeout=" + shutdownTimeout + ", producer=" + shownProducer + "]";
    }
}
