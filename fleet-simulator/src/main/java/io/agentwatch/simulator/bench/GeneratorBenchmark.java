package io.agentwatch.simulator.bench;

import io.agentwatch.schema.AgentEvent;
import io.agentwatch.schema.Operation;
import io.agentwatch.simulator.FleetSimulator;
import io.agentwatch.simulator.SimulationConfig;
import io.agentwatch.simulator.engine.Generation;
import io.agentwatch.simulator.incident.IncidentSpec;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.Locale;

/**
 * Measures how fast the simulator generates events on one thread, without Kafka or serialization: the figure
 * that says whether the generator can feed the benchmark harness (2-10 M events at more than 500k events/s).
 * A plain main, not a test: timing belongs to a quiet machine, not to the build.
 *
 * <p>Usage: {@code GeneratorBenchmark [events=2000000] [agents=10000] [rate=100000] [rounds=3]}; prints one line per
 * round (a first round warms the JIT up) and the best, both per wall-clock second and per CPU-second of the
 * generating thread (the second is the fair figure on a machine shared with other work).
 */
public final class GeneratorBenchmark {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private GeneratorBenchmark() {
    }

    public static void main(String[] args) {
        long events = args.length > 0 ? Long.parseLong(args[0]) : 2_000_000L;
        int agents = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        double rate = args.length > 2 ? Double.parseDouble(args[2]) : 100_000;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        // long enough that the event limit, not the duration, ends the run
        Duration duration = Duration.ofSeconds((long) Math.ceil(events / rate * 1.5) + 60);
        SimulationConfig config = SimulationConfig.of(42, agents, rate, duration, 1_767_225_600_000L)
                .withIncidents(IncidentSpec.parseList("all"))
                .withMaxEvents(events);
        FleetSimulator simulator = new FleetSimulator(config);
        System.out.printf(Locale.ROOT, "generating %,d events: %,d agents, %,.0f events/s simulated, all incidents%n", events, agents, rate);
        double best = 0;
        double bestCpu = 0;
        for (int round = 1; round <= rounds; round++) {
            long sessions = 0;
            long checksum = 0;
            long cpu0 = THREADS.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            Generation g = simulator.generation();
            while (g.hasNext()) {
                AgentEvent e = g.next();
                checksum += e.getTimestamp().toEpochMilli() ^ e.getEventId().length();
                if (e.getOperation() == Operation.INVOKE_AGENT && e.getParentSpanId() == null) {
                    sessions++;
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            double cpuSeconds = (THREADS.getCurrentThreadCpuTime() - cpu0) / 1e9;
            double perSecond = g.emitted() / seconds;
            double perCpuSecond = g.emitted() / cpuSeconds;
            best = Math.max(best, perSecond);
            bestCpu = Math.max(bestCpu, perCpuSecond);
            System.out.printf(Locale.ROOT, "round %d: %,d events in %.2f s wall = %,.0f events/s; %.2f s thread CPU = %,.0f events/CPU-s"
                            + " (top-level runs %,d, checksum %x)%n",
                    round, g.emitted(), seconds, perSecond, cpuSeconds, perCpuSecond, sessions, checksum);
        }
        System.out.printf(Locale.ROOT, "best: %,.0f events/s wall clock, %,.0f events per CPU-second, one thread%n", best, bestCpu);
    }
}
