package io.agentwatch.schema.bench;

import io.agentwatch.schema.AgentEvent;
import io.agentwatch.schema.Operation;
import io.agentwatch.schema.Status;
import io.agentwatch.schema.registry.InMemorySchemaRegistryClient;
import io.agentwatch.schema.serde.AvroWireDeserializer;
import io.agentwatch.schema.serde.AvroWireSerializer;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Measures the wire-format serdes on one thread: serialize and deserialize of typical ~300-byte AgentEvents
 * (a chat step with every common field). Not a test: it prints events/s. Run with
 * {@code java -cp ... io.agentwatch.schema.bench.SerdeBenchmark [events] [rounds]} (see the module README).
 */
public final class SerdeBenchmark {
    private SerdeBenchmark() {
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
        AvroWireSerializer<AgentEvent> serializer = new AvroWireSerializer<>(registry, false, true);
        AvroWireDeserializer<AgentEvent> deserializer = new AvroWireDeserializer<>(registry, AgentEvent.class);

        int distinct = 1024;
        AgentEvent[] events = new AgentEvent[distinct];
        byte[][] encoded = new byte[distinct][];
        for (int i = 0; i < distinct; i++) {
            events[i] = typical(i);
            encoded[i] = serializer.serialize("agent.events", events[i]);
        }
        System.out.printf(Locale.ROOT, "serde benchmark: %,d events per round, %d rounds, one thread, %d-byte events on average%n",
                n, rounds, averageSize(encoded));
        // CPU time of this thread as well as wall time: on a shared machine the CPU figure is the one that repeats
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        long sink = 0;
        for (int round = 1; round <= rounds; round++) {
            long t0 = System.nanoTime();
            long c0 = cpu.getCurrentThreadCpuTime();
            for (int i = 0; i < n; i++) {
                sink += serializer.serialize("agent.events", events[i & (distinct - 1)]).length;
            }
            long t1 = System.nanoTime();
            long c1 = cpu.getCurrentThreadCpuTime();
            for (int i = 0; i < n; i++) {
                sink += deserializer.deserialize("agent.events", encoded[i & (distinct - 1)]).getInputTokens();
            }
            long t2 = System.nanoTime();
            long c2 = cpu.getCurrentThreadCpuTime();
            System.out.printf(Locale.ROOT, "round %d: serialize %,.0f events/s (%,.0f per CPU-second)   deserialize %,.0f events/s (%,.0f per CPU-second)%n",
                    round, n * 1e9 / (t1 - t0), n * 1e9 / (c1 - c0), n * 1e9 / (t2 - t1), n * 1e9 / (c2 - c1));
        }
        if (sink == 42) {
            System.out.println("(unlikely)");
        }
    }

    private static int averageSize(byte[][] encoded) {
        long total = 0;
        for (byte[] b : encoded) {
            total += b.length;
        }
        return (int) (total / encoded.length);
    }

    static AgentEvent typical(int i) {
        return AgentEvent.newBuilder()
                .setEventId(new UUID(0x5f0c7a528d7e4c53L + i, 0xa2f40c1a9b3e2d11L * (i + 1)).toString())
                .setTimestamp(Instant.ofEpochMilli(1_790_000_000_000L + i * 37L))
                .setAgentId("support-triage-" + (i % 97))
                .setAgentName("support triage")
                .setAgentVersion("2026.11.3")
                .setTenant("acme")
                .setWorkflow("ticket-triage")
                .setSessionId("sess-" + Integer.toHexString(0x8c61f2d0 + i))
                .setTraceId(String.format(Locale.ROOT, "%032x", 0x4bf92f3577b34da6L + i))
                .setSpanId(String.format(Locale.ROOT, "%016x", 0x00f067aa0ba902b7L + i))
                .setParentSpanId(String.format(Locale.ROOT, "%016x", 0xa3ce929d0e0e4736L + i))
                .setOperation(Operation.CHAT)
                .setProvider("openai")
                .setModel("gpt-4o-mini")
                .setStatus(i % 50 == 0 ? Status.ERROR : Status.OK)
                .setLatencyMs(800L + (i * 31L) % 4000)
                .setInputTokens(900L + (i * 17L) % 800)
                .setOutputTokens(200L + (i * 13L) % 300)
                .setCostUsd(0.00037)
                .setRetryCount(0)
                .setIteration(2)
                .setMaxIterations(10)
                .setConfidence(0.82)
                .setAttributes(Map.of("risk", "low", "team", "support"))
                .build();
    }
}
