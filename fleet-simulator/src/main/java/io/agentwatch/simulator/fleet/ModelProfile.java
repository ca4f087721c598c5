package io.agentwatch.simulator.fleet;

/**
 * One LLM as the simulator models it: who serves it, how many tokens a call takes (log-normal around the
 * medians), what a token costs, how long a call takes, and which lane (premium, standard, economy) it belongs
 * to. The figures are in the range of public list prices and typical latencies; what matters for the tests is
 * that they differ between models and stay stable over time for a healthy agent.
 *
 * @param name               {@code gen_ai.request.model}
 * @param provider           {@code gen_ai.provider.name}
 * @param inputTokensMedian  median prompt tokens of one call
 * @param outputTokensMedian median completion tokens of one call
 * @param usdPerMillionIn    price of a million prompt tokens
 * @param usdPerMillionOut   price of a million completion tokens
 * @param latencyMedianMs    median duration of one call
 * @param lane               the model lane attribute
 */
public record ModelProfile(
        String name,
        String provider,
        double inputTokensMedian,
        double outputTokensMedian,
        double usdPerMillionIn,
        double usdPerMillionOut,
        double latencyMedianMs,
        String lane) {

    /** Cost in US dollars of one call with these token counts. */
    public double cost(long inputTokens, long outputTokens) {
        return (inputTokens * usdPerMillionIn + outputTokens * usdPerMillionOut) / 1_000_000.0;
    }
}
