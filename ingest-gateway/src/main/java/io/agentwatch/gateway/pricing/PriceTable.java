package io.agentwatch.gateway.pricing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentwatch.service.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Model prices, for events that do not report their own cost: USD per 1,000 input and output tokens by model name.
 * A model matches an entry exactly (case-insensitive), or as a dated or versioned variant of it: the entry's name
 * followed by {@code -}, {@code @} or {@code :} and a digit ({@code gpt-4o-2024-08-06} matches {@code gpt-4o},
 * {@code gpt-4o-mini} does not), the longest such entry winning. Lookups are cached, with a bound, because model
 * names come from clients.
 */
public final class PriceTable {
    private static final int MAX_CACHED = 10_000;
    private static final Price NONE = new Price(0, 0);

    private final Map<String, Price> prices;
    private final Map<String, Price> cache = new ConcurrentHashMap<>();

    public PriceTable(Map<String, Price> prices) {
        Map<String, Price> lower = new LinkedHashMap<>();
        prices.forEach((model, price) -> lower.put(model.toLowerCase(Locale.ROOT), price));
        this.prices = Map.copyOf(lower);
    }

    public static PriceTable empty() {
        return new PriceTable(Map.of());
    }

    /** Reads {@code {"model": {"input_per_1k": 0.0025, "output_per_1k": 0.01}, ...}}; a ConfigException names what is wrong. */
    public static PriceTable load(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new ConfigException("cannot read the price table " + file + ": " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new ConfigException("price table " + file + " must be a JSON object of model -> {\"input_per_1k\": .., \"output_per_1k\": ..}");
        }
        Map<String, Price> prices = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            JsonNode entry = e.getValue();
            prices.put(e.getKey(), new Price(
                    number(file, e.getKey(), entry, "input_per_1k"),
                    number(file, e.getKey(), entry, "output_per_1k")));
        }
        return new PriceTable(prices);
    }

    private static double number(Path file, String model, JsonNode entry, String field) {
        JsonNode n = entry == null ? null : entry.get(field);
        if (n == null || !n.isNumber() || !(n.asDouble() >= 0) || Double.isInfinite(n.asDouble())) {
            throw new ConfigException("price table " + file + ": model '" + model + "' needs " + field + " as a number >= 0");
        }
        return n.asDouble();
    }

    public int size() {
        return prices.size();
    }

    /** The price of the model, if the table knows it. */
    public Optional<Price> find(String model) {
        if (model == null || prices.isEmpty()) {
            return Optional.empty();
        }
        Price hit = cache.get(model);
        if (hit == null) {
            hit = lookup(model.toLowerCase(Locale.ROOT));
            if (cache.size() < MAX_CACHED) {
                cache.put(model, hit);
            }
        }
        return hit == NONE ? Optional.empty() : Optional.of(hit);
    }

    private Price lookup(String model) {
        Price exact = prices.get(model);
        if (exact != null) {
            return exact;
        }
        Price best = NONE;
        int bestLength = -1;
        for (Map.Entry<String, Price> e : prices.entrySet()) {
            String key = e.getKey();
            if (key.length() > bestLength && isVariantOf(model, key)) {
                best = e.getValue();
                bestLength = key.length();
            }
        }
        return best;
    }

    private static boolean isVariantOf(String model, String key) {
        if (model.length() < key.length() + 2 || !model.startsWith(key)) {
            return false;
        }
        char sep = model.charAt(key.length());
        return (sep == '-' || sep == '@' || sep == ':') && Character.isDigit(model.charAt(key.length() + 1));
    }

    /**
     * The cost of a step, or null when there is no price for the model or no token count at all.
     */
    public Double cost(String model, Long inputTokens, Long outputTokens) {
        if (inputTokens == null && outputTokens == null) {
            return null;
        }
        Optional<Price> price = find(model);
        if (price.isEmpty()) {
            return null;
        }
        return price.get().cost(inputTokens == null ? 0 : inputTokens, outputTokens == null ? 0 : outputTokens);
    }

    /** USD per 1,000 tokens. */
    public record Price(double inputPer1k, double outputPer1k) {
        public double cost(long inputTokens, long outputTokens) {
            return inputTokens / 1000.0 * inputPer1k + outputTokens / 1000.0 * outputPer1k;
        }
    }
}
