package io.agentwatch.simulator.score;

import io.agentwatch.schema.Alert;

/** One FIRING alert record and what the scorer made of it. */
public record ScoredAlert(Alert alert, AlertVerdict verdict) {
}
