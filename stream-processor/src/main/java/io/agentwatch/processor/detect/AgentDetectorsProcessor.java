package io.agentwatch.processor.detect;

import io.agentwatch.processor.ProcessorMetrics;
import io.agentwatch.processor.rules.OverridesVersion;
import io.agentwatch.processor.rules.RuleResolver;
import io.agentwatch.processor.rules.RuleSet;
import io.agentwatch.schema.AgentEvent;
import io.agentwatch.schema.Alert;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The topology node {@code detect-agent-incidents}: hosts the detectors that live on the agent's partition
 * (session budgets, loops, daily budgets, tool timeout chains, silence, release regressions) and hands each event to
 * each of them. One detector per class, each with its own store and tests; one node for all of them, because every
 * node of a Kafka Streams topology costs a dispatch (and a record context switch) per event, and these detectors
 * share the same input, the same key and the same partition. They share the node's context (so their alerts leave
 * through its child, the alerts sink), its commit-hook store ({@code agent-detectors-flush-store}) and one rule
 * resolver (one override cache per task); the two session detectors also share the session state
 * ({@link SessionStates}, one store).
 */
public final class AgentDetectorsProcessor implements Processor<String, AgentEvent, String, Alert> {
    private final List<Processor<String, AgentEvent, String, Alert>> detectors;
    private final Processor<String, AgentEvent, String, Alert>[] hot;

    @SuppressWarnings("unchecked")
    public AgentDetectorsProcessor(RuleSet rules, DetectorSettings settings, OverridesVersion overridesVersion, ProcessorMetrics metrics) {
        RuleResolver resolver = new RuleResolver(rules.all(), overridesVersion, metrics);
        SessionStates sessions = new SessionStates(rules, settings, resolver, metrics);
        this.detectors = List.of(
                new SessionBudgetDetector(rules, resolver, metrics, sessions),
                new LoopDetector(rules, settings, resolver, metrics, sessions),
                new DailyBudgetDetector(rules, settings, resolver, metrics),
                new ToolTimeoutChainDetector(rules, settings, resolver, metrics),
                new SilenceDetector(rules, settings, resolver, metrics),
                new ReleaseRegressionDetector(rules, settings, resolver, metrics));
        this.hot = detectors.toArray(new Processor[0]);
    }

    @Override
    public void init(ProcessorContext<String, Alert> context) {
        for (Processor<String, AgentEvent, String, Alert> d : detectors) {
            d.init(context);
        }
    }

    @Override
    public void process(Record<String, AgentEvent> record) {
        for (Processor<String, AgentEvent, String, Alert> d : hot) {
            d.process(record);
        }
    }

    @Override
    public void close() {
        for (Processor<String, AgentEvent, String, Alert> d : detectors) {
            d.close();
        }
    }
}
