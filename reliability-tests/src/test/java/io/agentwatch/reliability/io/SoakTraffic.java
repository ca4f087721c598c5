package io.agentwatch.reliability.io;

import io.agentwatch.schema.AgentEvent;
import io.agentwatch.schema.Operation;
import io.agentwatch.schema.Outcome;
import io.agentwatch.schema.Status;
import io.agentwatch.simulator.publish.KafkaEventSink;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * A purpose-built generator for the memory soak: a key space of {@code agents} agents visited in a scrambled round
 * robin, every event a new session of its agent (a chat step, a tool call or a finished run), so the session count
 * grows by millions over a long run,
 * steps with realistic latency, tokens, cost, tools and a 2% error rate, a finished run closing each session; event
 * time is the wall clock. Paced to a steady rate in 10 ms slices. Cheaper per event than the fleet simulator (no
 * per-agent behaviour model), so the test JVM's own CPU stays small beside the processor's.
 */
final class SoakTraffic {
    private static final String[] TOOLS = {"search", "sql", "http_get", "calculator", "retriever", "shell"};
    private static final String[] MODELS = {"gpt-4o", "claude-sonnet", "llama-70b"};
    private static final int EVENTS_PER_SESSION = 1;

    private final int agents;
    private final String[] agentIds;
    private final long[] sessionSeq;
    private final int[] sessionStep;
    private final SplittableRandom random = new SplittableRandom(77);
    private long sent;
    private long sessions;

    SoakTraffic(int agents) {
        this.agents = agents;
        this.agentIds = new String[agents];
        for (int i = 0; i < agents; i++) {
            agentIds[i] = "soak-agent-" + i;
        }
        this.sessionSeq = new long[agents];
        this.sessionStep = new int[agents];
    }

    /** Publishes at {@code rate} events/s until {@code duration} has passed or {@code stop} says so. */
    void run(KafkaEventSink sink, double rate, Duration duration, java.util.function.BooleanSupplier stop) {
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        long sliceNanos = 10_000_000L;
        long next = start;
        while (System.nanoTime() < end && !stop.getAsBoolean()) {
            long due = (long) ((System.nanoTime() - start) / 1e9 * rate);
            while (sent < due) {
                sink.send(next());
            }
            next += sliceNanos;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
        }
        sink.flush();
    }

    /** The next event: agent, session and step chosen deterministically, measurements at random. */
    AgentEvent next() {
        // a multiplicative scramble of the sequence visits every agent once per round, in a spread-out order
        int a = (int) ((sent * 48_271L) % agents);
        sent++;
        int step = sessionStep[a]++;
        if (step == 0) {
            sessionSeq[a]++;
            sessions++;
        }
        boolean last = step == EVENTS_PER_SESSION - 1;
        if (last) {
            sessionStep[a] = 0;
        }
        String agent = agentIds[a];
        String session = agent + "-s" + sessionSeq[a];
        // each session is one step or one finished run, so the session key space grows with every event
        boolean tool = sent % 3 == 1;
        last = sent % 3 == 2;
        boolean error = random.nextInt(50) == 0;
        AgentEvent.Builder e = AgentEvent.newBuilder()
                .setEventId(Long.toHexString(sent) + "-" + Integer.toHexString(a))
                .setTimestamp(Instant.now())
                .setAgentId(agent)
                .setAgentName("soak")
                .setAgentVersion("v1")
                .setTenant("tenant-" + (a % 20))
                .setWorkflow("workflow-" + (a % 50))
                .setSessionId(session)
                .setTraceId(session)
                .setSpanId(Integer.toString(step))
                .setOperation(last ? Operation.INVOKE_AGENT : tool ? Operation.EXECUTE_TOOL : Operation.CHAT)
                .setProvider("openai")
                .setModel(MODELS[a % MODELS.length])
                .setStatus(error ? Status.ERROR : Status.OK)
                .setLatencyMs(200L + (long) (random.nextDouble() * random.nextDouble() * 4_000))
                .setRetryCount(0)
                .setIteration(step)
                .setMaxIterations(20)
                .setAttributes(Map.of());
        if (error) {
            e.setErrorType("RateLimitError");
        }
        if (tool) {
            e.setToolName(TOOLS[random.nextInt(TOOLS.length)]).setToolArgsHash(Long.toHexString(random.nextLong()));
        } else if (!last) {
            long in = 300 + random.nextInt(1_500);
            long out = 50 + random.nextInt(400);
            e.setInputTokens(in).setOutputTokens(out).setCostUsd((in + 3 * out) * 1e-6);
        }
        if (last) {
            e.setOutcome(error ? Outcome.FAILED : Outcome.SUCCEEDED).setConfidence(0.7 + random.nextDouble() * 0.3);
        }
        return e.build();
    }

    long sent() {
        return sent;
    }

    long sessions() {
        return sessions;
    }
}
