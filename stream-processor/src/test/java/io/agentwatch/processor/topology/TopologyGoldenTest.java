package io.agentwatch.processor.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentwatch.processor.ProcessorMetrics;
import io.agentwatch.processor.rules.RuleSet;
import io.agentwatch.processor.rules.RulesFile;
import io.agentwatch.schema.registry.InMemorySchemaRegistryClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.streams.Topology;
import org.junit.jupiter.api.Test;

/**
 * Store, topic and processor names are part of the deployed state (changelog and repartition topics are named
 * after them): they must never change by accident. When a change is intended, regenerate the golden file with
 * {@code -Dagentwatch.golden.update=true} and review the diff. Built with control commands enabled, so that every
 * node and store the processor can have is in the file.
 */
class TopologyGoldenTest {
    private static final Path GOLDEN = Path.of("src/test/resources/topology.golden.txt");

    @Test
    void shouldNotChangeTheTopologyUnintentionally() throws IOException {
        RuleSet rules = RulesFile.defaults();
        Topics topics = Topics.of("agent.events", "agent.alerts", "agent.events.dlq", "agent.rules", "agent.control", new InMemorySchemaRegistryClient());
        Topology topology = AgentwatchTopology.build(topics, rules, AgentwatchTopology.defaultSettings(rules, 6).withControl(true),
                ProcessorMetrics.noop());

        String described = topology.describe().toString();

        if (Boolean.getBoolean("agentwatch.golden.update")) {
            Files.writeString(GOLDEN, described, StandardCharsets.UTF_8);
        }
        assertThat(described).isEqualTo(Files.readString(GOLDEN, StandardCharsets.UTF_8));
    }
}
