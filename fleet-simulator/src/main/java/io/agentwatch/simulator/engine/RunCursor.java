package io.agentwatch.simulator.engine;

import io.agentwatch.schema.AgentEvent;
import io.agentwatch.schema.Approval;
import io.agentwatch.schema.Operation;
import io.agentwatch.schema.Outcome;
import io.agentwatch.schema.Status;
import io.agentwatch.simulator.fleet.AgentProfile;
import io.agentwatch.simulator.fleet.Catalog;
import io.agentwatch.simulator.fleet.ToolProfile;
import java.time.Instant;
import java.util.Arrays;

/**
 * One session of one agent, emitting the events of its current run (turn) one at a time, in time order. The
 * {@link RunPlanner} fills the planned steps in; each {@link #fire} turns the next step into an
 * {@link AgentEvent}. Step 0 is the run itself (INVOKE_AGENT): it carries the start time as its timestamp and the
 * finished run's outcome, total latency, iterations, confidence and token/cost totals. When a turn is over and
 * the session has turns left, the cursor plans the next turn into the same storage.
 *
 * <p>A step is packed into {@link #STRIDE} longs of one array (start; latency and small fields; tokens; args
 * hash): at high rates a hundred thousand cursors are in flight, and one compact array each keeps them in cache.
 */
final class RunCursor extends Source {
    static final int STRIDE = 4;
    /** error_type values, by the index packed into a step; 0 is "none". */
    static final String[] ERROR_TYPES = {null, "rate_limit", "provider_error", "invalid_output", "timeout", "tool_error",
            "retrieval_error", "invalid_input", "task_failed", "max_iterations", "upstream_failure"};
    static final int RATE_LIMIT = 1;
    static final int PROVIDER_ERROR = 2;
    static final int INVALID_OUTPUT = 3;
    static final int TIMEOUT = 4;
    static final int TOOL_ERROR = 5;
    static final int RETRIEVAL_ERROR = 6;
    static final int INVALID_INPUT = 7;
    static final int TASK_FAILED = 8;
    static final int MAX_ITERATIONS = 9;
    static final int UPSTREAM_FAILURE = 10;

    private static final Operation[] OPS = Operation.values();
    private static final Status[] STATUSES = Status.values();
    // layout of the packed small fields (low 32 bits of word 1)
    private static final int OP_BITS = 0;           // 4 bits
    private static final int STATUS_BITS = 4;       // 3 bits
    private static final int RETRY_BITS = 7;        // 2 bits: retry_count + 1, 0 = none
    private static final int ERROR_BITS = 9;        // 5 bits
    private static final int TOOL_BITS = 14;        // 5 bits: catalog index + 1, 0 = none
    private static final int ITERATION_BITS = 19;   // 10 bits
    private static final int TOKENS_FLAG = 1 << 29;

    final AgentProfile agent;
    final String sessionId;
    final Rng rng;
    final IncidentHooks owner;
    final int depth;
    int turnsLeft;
    int turn;

    // the current run
    String traceId;
    String runSpanId;
    String parentSpanId;
    String version;
    long runStart;
    long runEnd;
    Outcome outcome;
    double confidence;
    double runCost;
    int maxIterations;
    boolean backToBack;

    int count;
    private int next;
    private long[] steps = new long[8 * STRIDE];

    RunCursor(AgentProfile agent, String sessionId, Rng rng, IncidentHooks owner, int depth, int turns) {
        this.agent = agent;
        this.sessionId = sessionId;
        this.rng = rng;
        this.owner = owner;
        this.depth = depth;
        this.turnsLeft = turns;
    }

    /** Starts planning a run: clears the steps and reserves step 0 for the run event. */
    void beginRun(long start, String traceId, String runSpanId, String parentSpanId, String version, int maxIterations) {
        this.runStart = start;
        this.traceId = traceId;
        this.runSpanId = runSpanId;
        this.parentSpanId = parentSpanId;
        this.version = version;
        this.maxIterations = maxIterations;
        this.count = 0;
        this.next = 0;
        this.time = start;
        this.done = false;
        add(Operation.INVOKE_AGENT, start);
    }

    /** Appends a step (status OK, no tokens, no tool, no retry count) and returns its index. */
    int add(Operation operation, long start) {
        if ((count + 1) * STRIDE > steps.length) {
            steps = Arrays.copyOf(steps, steps.length * 2);
        }
        int i = count++;
        int b = i * STRIDE;
        steps[b] = start;
        steps[b + 1] = (long) operation.ordinal() << OP_BITS | (long) Status.OK.ordinal() << STATUS_BITS;
        steps[b + 2] = 0;
        steps[b + 3] = 0;
        return i;
    }

    private int small(int i) {
        return (int) steps[i * STRIDE + 1];
    }

    private void setSmall(int i, int mask, int shift, int value) {
        int b = i * STRIDE + 1;
        long word = steps[b];
        int low = ((int) word & ~(mask << shift)) | ((value & mask) << shift);
        steps[b] = (word & 0xffffffff00000000L) | (low & 0xffffffffL);
    }

    long at(int i) {
        return steps[i * STRIDE];
    }

    Operation op(int i) {
        return OPS[small(i) >>> OP_BITS & 0xf];
    }

    long latency(int i) {
        return steps[i * STRIDE + 1] >>> 32;
    }

    void setLatency(int i, long ms) {
        int b = i * STRIDE + 1;
        steps[b] = (Math.min(ms, 0xffffffffL) << 32) | (steps[b] & 0xffffffffL);
    }

    void setStatus(int i, Status status, int errorType) {
        setSmall(i, 0x7, STATUS_BITS, status.ordinal());
        setSmall(i, 0x1f, ERROR_BITS, errorType);
    }

    boolean isError(int i) {
        return (small(i) >>> STATUS_BITS & 0x7) != Status.OK.ordinal();
    }

    boolean isTimeout(int i) {
        return (small(i) >>> STATUS_BITS & 0x7) == Status.TIMEOUT.ordinal();
    }

    int errorType(int i) {
        return small(i) >>> ERROR_BITS & 0x1f;
    }

    void setRetry(int i, int retryCount) {
        setSmall(i, 0x3, RETRY_BITS, retryCount + 1);
    }

    void setIteration(int i, int iteration) {
        setSmall(i, 0x3ff, ITERATION_BITS, iteration);
    }

    int iteration(int i) {
        return small(i) >>> ITERATION_BITS & 0x3ff;
    }

    /** The tool's index in {@link Catalog#TOOLS}, or -1. */
    int tool(int i) {
        return (small(i) >>> TOOL_BITS & 0x1f) - 1;
    }

    void setTool(int i, int catalogIndex, long argsHash) {
        setSmall(i, 0x1f, TOOL_BITS, catalogIndex + 1);
        steps[i * STRIDE + 3] = argsHash;
    }

    long argsHash(int i) {
        return steps[i * STRIDE + 3];
    }

    void setTokens(int i, long input, long output) {
        steps[i * STRIDE + 2] = Math.min(input, 0xffffffffL) << 32 | Math.min(output, 0xffffffffL);
        setSmall(i, 1, 29, 1);
    }

    boolean hasTokens(int i) {
        return (small(i) & TOKENS_FLAG) != 0;
    }

    long inputTokens(int i) {
        return steps[i * STRIDE + 2] >>> 32;
    }

    long outputTokens(int i) {
        return steps[i * STRIDE + 2] & 0xffffffffL;
    }

    @Override
    AgentEvent fire(Generation g) {
        int i = next++;
        AgentEvent event = g.silenced(agent.index(), at(i)) ? null : toEvent(i);
        if (next < count) {
            time = at(next);
        } else if (turnsLeft > 0) {
            long pause = backToBack ? rng.nextInt(200, 1_000) : rng.nextInt(3_000, 20_000);
            long start = runEnd + pause;
            if (owner != null && start >= owner.endMs()) {
                done = true;
            } else {
                turnsLeft--;
                turn++;
                g.planner().planTurn(this, start, null);
            }
        } else {
            done = true;
        }
        return event;
    }

    private AgentEvent toEvent(int i) {
        int small = small(i);
        Operation operation = OPS[small >>> OP_BITS & 0xf];
        AgentEvent e = new AgentEvent();
        e.setEventId(Ids.uuid(rng));
        e.setTimestamp(Instant.ofEpochMilli(at(i)));
        e.setAgentId(agent.agentId());
        e.setAgentName(agent.agentName());
        e.setAgentVersion(version);
        e.setTenant(agent.tenant());
        e.setWorkflow(agent.workflow());
        e.setSessionId(sessionId);
        e.setTraceId(traceId);
        if (i == 0) {
            e.setSpanId(runSpanId);
            e.setParentSpanId(parentSpanId);
            e.setOutcome(outcome);
            e.setConfidence(confidence);
        } else {
            e.setSpanId(Ids.spanId(rng));
            e.setParentSpanId(runSpanId);
        }
        e.setOperation(operation);
        if (operation == Operation.CHAT || operation == Operation.PLAN || operation == Operation.INVOKE_AGENT) {
            e.setProvider(agent.model().provider());
            e.setModel(agent.model().name());
        }
        e.setStatus(STATUSES[small >>> STATUS_BITS & 0x7]);
        e.setErrorType(ERROR_TYPES[small >>> ERROR_BITS & 0x1f]);
        e.setLatencyMs(latency(i));
        if ((small & TOKENS_FLAG) != 0) {
            long in = inputTokens(i);
            long out = outputTokens(i);
            e.setInputTokens(in);
            e.setOutputTokens(out);
            e.setCostUsd(i == 0 ? runCost : stepCost(in, out));
        }
        int tool = (small >>> TOOL_BITS & 0x1f) - 1;
        if (tool >= 0) {
            ToolProfile profile = Catalog.TOOLS.get(tool);
            e.setToolName(profile.name());
            e.setToolArgsHash(Ids.hex16(argsHash(i)));
            e.setApproval(profile.requiresApproval() ? Approval.APPROVED : Approval.NOT_REQUIRED);
        }
        int retry = (small >>> RETRY_BITS & 0x3) - 1;
        if (retry >= 0) {
            e.setRetryCount(retry);
        }
        e.setIteration(small >>> ITERATION_BITS & 0x3ff);
        e.setMaxIterations(maxIterations);
        e.setAttributes(agent.attributes());
        return e;
    }

    /** Cost of one LLM call, rounded to a millionth of a dollar. */
    double stepCost(long in, long out) {
        return Math.round(agent.model().cost(in, out) * 1e6) / 1e6;
    }
}
