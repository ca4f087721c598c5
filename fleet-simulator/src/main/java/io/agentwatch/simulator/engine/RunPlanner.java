package io.agentwatch.simulator.engine;

import io.agentwatch.schema.Operation;
import io.agentwatch.schema.Outcome;
import io.agentwatch.schema.Status;
import io.agentwatch.simulator.fleet.AgentProfile;
import io.agentwatch.simulator.fleet.ModelProfile;
import io.agentwatch.simulator.fleet.ToolProfile;

/**
 * Plans one run of an agent, step by step, into a {@link RunCursor}: an optional PLAN, one to three iterations of
 * CHAT plus an action (a tool call or a retrieval), possibly a hand-off to the agent's delegate (a sub-run in the
 * same trace, planned here recursively and queued as its own cursor), and a final CHAT; then the run event with
 * the outcome. Latencies and token counts are log-normal per model and tool. Errors follow the healthy rules of
 * {@link RunConditions} unless the agent's incident has changed the conditions.
 *
 * <p>Planning the whole run up front is what lets the run event (whose timestamp is the run's start) carry the
 * total latency and outcome while the events still come out in time order.
 */
final class RunPlanner {
    private static final int[] LLM_ERRORS = {RunCursor.RATE_LIMIT, RunCursor.RATE_LIMIT, RunCursor.PROVIDER_ERROR, RunCursor.INVALID_OUTPUT};
    private static final int MAX_DEPTH = 3;

    private final Generation generation;
    private final RunConditions[] conditions = new RunConditions[MAX_DEPTH + 1];
    /** The agent that has had errors in the trace being planned; no other agent may (a healthy trace never cascades). */
    private int traceErrorAgent = -1;

    RunPlanner(Generation generation) {
        this.generation = generation;
        for (int i = 0; i < conditions.length; i++) {
            conditions[i] = new RunConditions();
        }
    }

    /** Plans the cursor's next turn as a new trace (or the given one) starting at {@code start}. */
    void planTurn(RunCursor cursor, long start, String traceId) {
        traceErrorAgent = -1;
        plan(cursor, start, traceId != null ? traceId : Ids.traceId(cursor.rng), null, false);
    }

    private void plan(RunCursor c, long start, String traceId, String parentSpanId, boolean cascade) {
        AgentProfile a = c.agent;
        AgentState st = generation.state(a.index());
        Rng r = c.rng;
        IncidentHooks incident = st.incident;
        RunConditions k = conditions[c.depth];
        boolean own = c.owner != null;
        String version = incident == null ? a.version() : incident.versionAt(start, a.version());
        k.reset(a, start, c.turn, own, st.shapedRuns, version);
        k.cascade = cascade;
        if (own) {
            c.owner.shapeRun(k);
        } else if (incident != null && incident.isActive(start)) {
            incident.shapeRun(k);
            st.shapedRuns++;
        }
        c.backToBack = k.backToBackTurns;
        c.beginRun(start, traceId, Ids.spanId(r), parentSpanId, k.version, a.maxIterations());
        counted(st);

        long t = start + r.nextInt(2, 25);
        boolean handoff = a.delegate() >= 0 && c.depth < MAX_DEPTH && (k.cascade || r.chance(a.handoffProbability()));
        int iterations;
        if (k.hitIterationLimit) {
            iterations = a.maxIterations() - 1;
        } else if (k.loopRepeats > 0) {
            iterations = k.loopRepeats;
        } else if (k.cascade || handoff) {
            // a run that delegates does one iteration of its own, so that a whole chain stays as quick as a solo run
            iterations = 1;
        } else {
            double u = r.nextDouble();
            iterations = u < 0.4 ? 1 : u < 0.8 ? 2 : 3;
        }
        long loopHash = r.nextLong();
        boolean failed = false;
        int failure = 0;
        boolean overrunDone = false;
        int reached = 0;

        // sub-agents get a precise task from their caller and skip planning
        if (c.depth == 0 && !k.cascade && !k.hitIterationLimit && r.chance(0.7)) {
            int s = llm(c, k, st, Operation.PLAN, t, 1, 0.6, 1.0, true);
            t = end(c, s, r);
            if (c.isError(s)) {
                int retry = retryOf(c, k, st, s, t);
                t = end(c, retry, r);
                if (c.isError(retry)) {
                    failed = true;
                    failure = c.errorType(retry);
                }
            }
        }
        for (int it = 1; it <= iterations && !failed; it++) {
            reached = it;
            double overrun = !overrunDone && k.overrunFactor > 0 ? k.overrunFactor : 1.0;
            overrunDone |= overrun > 1;
            int s = llm(c, k, st, Operation.CHAT, t, it, 1.0, overrun, true);
            if (k.cascade && c.depth > 0 && it == 1) {
                markError(c, s, st, Status.ERROR, RunCursor.INVALID_INPUT);
            }
            t = end(c, s, r);
            if (c.isError(s) && !k.cascade) {
                int retry = retryOf(c, k, st, s, t);
                t = end(c, retry, r);
                if (c.isError(retry)) {
                    failed = true;
                    failure = c.errorType(retry);
                    break;
                }
            }
            t = action(c, k, st, r, it, loopHash, t);
            if (c.isError(c.count - 1) && c.op(c.count - 1) != Operation.CHAT && !k.cascade) {
                int last = c.count - 1;
                if (!c.isTimeout(last)) {
                    int retry = retryOf(c, k, st, last, t);
                    t = end(c, retry, r);
                    if (c.isError(retry)) {
                        failed = true;
                        failure = c.errorType(retry);
                    }
                }
            }
            if (handoff && it == 1) {
                t = handOff(c, traceId, t, k.cascade);
            }
        }
        int finalIteration = reached + 1;
        int last = llm(c, k, st, Operation.CHAT, t, finalIteration, 0.8, 1.0, false);
        c.runEnd = end(c, last, r) - r.nextInt(1, 8);
        finish(c, k, st, r, failed, failure, finalIteration);
    }

    /** The action of one iteration: a tool call, a retrieval, or nothing. Returns when the next step can start. */
    private long action(RunCursor c, RunConditions k, AgentState st, Rng r, int it, long loopHash, long t) {
        AgentProfile a = c.agent;
        int slot = -1;
        boolean retrieval = false;
        boolean cascadeRoot = k.cascade && c.depth == 0 && it == 1;
        if (k.loopRepeats > 0 || cascadeRoot) {
            slot = 0;
        } else if (k.timeoutToolSlot >= 0 && it == 1) {
            slot = k.timeoutToolSlot;
        } else if (!k.cascade) {
            double u = r.nextDouble();
            if (u < 0.65) {
                slot = toolSlot(a, r);
            } else if (u < 0.85) {
                retrieval = true;
            }
        }
        if (slot >= 0) {
            int s = toolCall(c, k, st, slot, k.loopRepeats > 0 ? loopHash : r.nextLong(), t, it);
            if (cascadeRoot) {
                markError(c, s, st, Status.ERROR, RunCursor.TOOL_ERROR);
            }
            return end(c, s, r);
        }
        if (retrieval) {
            int s = c.add(Operation.RETRIEVAL, t);
            c.setIteration(s, it);
            c.setRetry(s, 0);
            c.setLatency(s, Math.round(r.logNormal(150, 0.4, 3) * k.latencyFactor));
            if (stepFails(k, st, a, r)) {
                markError(c, s, st, Status.ERROR, RunCursor.RETRIEVAL_ERROR);
            }
            counted(st);
            return end(c, s, r);
        }
        return t;
    }

    private void finish(RunCursor c, RunConditions k, AgentState st, Rng r, boolean failed, int failure, int finalIteration) {
        AgentProfile a = c.agent;
        Outcome outcome = Outcome.SUCCEEDED;
        int errorType = 0;
        if (failed) {
            outcome = Outcome.FAILED;
            errorType = failure;
        } else if (k.hitIterationLimit) {
            outcome = Outcome.FAILED;
            errorType = RunCursor.MAX_ITERATIONS;
        } else if (k.cascade) {
            outcome = Outcome.FAILED;
            errorType = RunCursor.UPSTREAM_FAILURE;
        } else {
            double u = r.nextDouble();
            boolean allowed = !k.spaced || st.runsSinceNonSuccess >= RunConditions.MIN_RUNS_BETWEEN_NON_SUCCESS;
            if (u < k.failRate) {
                if (allowed && (!k.spaced || errorAllowed(st, a))) {
                    outcome = Outcome.FAILED;
                    errorType = RunCursor.TASK_FAILED;
                }
            } else if (u < k.failRate + k.escalateRate) {
                outcome = allowed ? Outcome.ESCALATED : Outcome.SUCCEEDED;
            } else if (u < k.failRate + k.escalateRate + k.rescueRate) {
                outcome = allowed ? Outcome.MANUAL_RESCUE : Outcome.SUCCEEDED;
            }
        }
        st.runsSinceNonSuccess = outcome == Outcome.SUCCEEDED ? Math.min(st.runsSinceNonSuccess + 1, Integer.MAX_VALUE / 2) : 0;
        if (outcome == Outcome.FAILED) {
            c.setStatus(0, Status.ERROR, errorType);
            st.eventsSinceError = 0;
            traceErrorAgent = a.index();
        }
        c.outcome = outcome;
        double conf = a.confidenceMean() + k.confidenceShift + 0.04 * r.nextGaussian();
        if (outcome == Outcome.FAILED) {
            conf *= 0.6;
        }
        c.confidence = Math.round(Math.max(0.02, Math.min(0.99, conf)) * 1000) / 1000.0;
        c.setLatency(0, c.runEnd - c.runStart);
        c.setIteration(0, finalIteration);
        long in = 0;
        long out = 0;
        double cost = 0;
        for (int i = 1; i < c.count; i++) {
            if (c.hasTokens(i)) {
                in += c.inputTokens(i);
                out += c.outputTokens(i);
                cost += c.stepCost(c.inputTokens(i), c.outputTokens(i));
            }
        }
        c.setTokens(0, in, out);
        c.runCost = Math.round(cost * 1e6) / 1e6;
    }

    private long handOff(RunCursor c, String traceId, long t, boolean cascade) {
        AgentProfile delegate = generation.agent(c.agent.delegate());
        Rng sub = c.rng.split();
        RunCursor child = new RunCursor(delegate, Ids.uuid(sub), sub, null, c.depth + 1, 0);
        plan(child, t, traceId, c.runSpanId, cascade);
        generation.schedule(child);
        return child.runEnd + c.rng.nextInt(5, 40);
    }

    private int llm(RunCursor c, RunConditions k, AgentState st, Operation op, long t, int iteration, double scale,
                    double overrun, boolean mayFail) {
        Rng r = c.rng;
        ModelProfile m = c.agent.model();
        int s = c.add(op, t);
        c.setIteration(s, iteration);
        c.setRetry(s, 0);
        long in = Math.round(r.logNormal(m.inputTokensMedian() * scale, 0.3, 2.2) * k.tokenFactor * overrun);
        long out = Math.round(r.logNormal(m.outputTokensMedian() * scale, 0.35, 2.2) * k.tokenFactor * Math.sqrt(overrun));
        c.setTokens(s, in, out);
        c.setLatency(s, Math.round(r.logNormal(m.latencyMedianMs() * (op == Operation.PLAN ? 0.8 : 1.0), 0.35, 2.5) * k.latencyFactor));
        if (mayFail && stepFails(k, st, c.agent, r)) {
            markError(c, s, st, Status.ERROR, LLM_ERRORS[r.nextInt(LLM_ERRORS.length)]);
        }
        counted(st);
        return s;
    }

    private int toolCall(RunCursor c, RunConditions k, AgentState st, int slot, long hash, long t, int iteration) {
        Rng r = c.rng;
        ToolProfile tool = c.agent.tool(slot);
        int s = c.add(Operation.EXECUTE_TOOL, t);
        c.setIteration(s, iteration);
        c.setRetry(s, 0);
        c.setTool(s, c.agent.tools()[slot], hash);
        c.setLatency(s, Math.round(r.logNormal(tool.latencyMedianMs(), 0.45, 3) * k.latencyFactor));
        int bit = 1 << slot;
        if (slot == k.timeoutToolSlot) {
            c.setLatency(s, tool.timeoutMs());
            markError(c, s, st, Status.TIMEOUT, RunCursor.TIMEOUT);
        } else if (stepFails(k, st, c.agent, r)) {
            // a healthy tool never times out twice in a row
            boolean timeout = (st.toolTimedOut & bit) == 0 && r.chance(0.25);
            if (timeout) {
                c.setLatency(s, tool.timeoutMs());
            }
            markError(c, s, st, timeout ? Status.TIMEOUT : Status.ERROR, timeout ? RunCursor.TIMEOUT : RunCursor.TOOL_ERROR);
        }
        st.toolTimedOut = c.isTimeout(s) ? st.toolTimedOut | bit : st.toolTimedOut & ~bit;
        counted(st);
        return s;
    }

    /** A second attempt of a failed step: same operation, tool and arguments, retry_count 1. */
    private int retryOf(RunCursor c, RunConditions k, AgentState st, int failed, long t) {
        Rng r = c.rng;
        int s = c.add(c.op(failed), t + r.nextInt(100, 600));
        c.setIteration(s, c.iteration(failed));
        c.setRetry(s, 1);
        int tool = c.tool(failed);
        if (tool >= 0) {
            c.setTool(s, tool, c.argsHash(failed));
            st.toolTimedOut &= ~(1 << slotOf(c.agent, tool));
        }
        if (c.hasTokens(failed)) {
            c.setTokens(s, c.inputTokens(failed), c.outputTokens(failed));
        }
        c.setLatency(s, Math.max(1, Math.round(c.latency(failed) * (0.6 + 0.8 * r.nextDouble()))));
        if (!k.spaced && r.chance(k.stepErrorRate)) {
            markError(c, s, st, Status.ERROR, c.errorType(failed));
        }
        counted(st);
        return s;
    }

    private static int slotOf(AgentProfile a, int toolIndex) {
        for (int i = 0; i < a.tools().length; i++) {
            if (a.tools()[i] == toolIndex) {
                return i;
            }
        }
        return 0;
    }

    private boolean stepFails(RunConditions k, AgentState st, AgentProfile a, Rng r) {
        if (!k.spaced) {
            return r.chance(k.stepErrorRate);
        }
        return errorAllowed(st, a) && r.chance(k.stepErrorRate);
    }

    private boolean errorAllowed(AgentState st, AgentProfile a) {
        return st.eventsSinceError >= RunConditions.MIN_EVENTS_BETWEEN_ERRORS
                && (traceErrorAgent < 0 || traceErrorAgent == a.index());
    }

    private void markError(RunCursor c, int s, AgentState st, Status status, int type) {
        c.setStatus(s, status, type);
        st.eventsSinceError = 0;
        traceErrorAgent = c.agent.index();
    }

    private static void counted(AgentState st) {
        if (st.eventsSinceError < Integer.MAX_VALUE / 2) {
            st.eventsSinceError++;
        }
    }

    private static int toolSlot(AgentProfile a, Rng r) {
        double u = r.nextDouble();
        double[] cumulative = a.toolCumulative();
        for (int i = 0; i < cumulative.length; i++) {
            if (u < cumulative[i]) {
                return i;
            }
        }
        return cumulative.length - 1;
    }

    /** The end of a step plus the small gap before the next one starts. */
    private static long end(RunCursor c, int s, Rng r) {
        return c.at(s) + c.latency(s) + r.nextInt(3, 40);
    }
}
