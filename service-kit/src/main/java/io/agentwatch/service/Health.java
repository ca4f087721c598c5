package io.agentwatch.service;

import java.util.Map;

/**
 * The answer of a health or readiness check: up or not, and a few details for a human (state names, counts).
 *
 * @param up      true when the check passes (HTTP 200), false otherwise (HTTP 503)
 * @param status  a short word: UP, DOWN, STARTING, REBALANCING, ...
 * @param details small, non-secret facts that explain the status
 */
public record Health(boolean up, String status, Map<String, Object> details) {
    public static Health up(String status) {
        return new Health(true, status, Map.of());
    }

    public static Health down(String status) {
        return new Health(false, status, Map.of());
    }
}
