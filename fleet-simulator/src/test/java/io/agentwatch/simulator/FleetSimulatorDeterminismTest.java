package io.agentwatch.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentwatch.schema.AgentEvent;
import io.agentwatch.simulator.fleet.AgentProfile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

class FleetSimulatorDeterminismTest {

    @Test
    void shouldGiveByteIdenticalEventsForTheSameConfig() {
        // given two simulators built from equal configs, incidents included
        SimulationConfig config = Simulations.allIncidents(7).withMaxEvents(60_000);

        // when both generate
        String first = digest(new FleetSimulator(config).iterator());
        String second = digest(new FleetSimulator(config).iterator());

        // then the Avro bytes of every event are the same
        assertThat(second).isEqualTo(first);
    }

    @Test
    void shouldStartEveryPassFromTheBeginning() {
        FleetSimulator simulator = new FleetSimulator(Simulations.healthy(3).withMaxEvents(20_000));

        assertThat(digest(simulator.iterator())).isEqualTo(digest(simulator.iterator()));
    }

    @Test
    void shouldGiveDifferentEventsAndFleetsForDifferentSeeds() {
        FleetSimulator a = new FleetSimulator(Simulations.healthy(1).withMaxEvents(5_000));
        FleetSimulator b = new FleetSimulator(Simulations.healthy(2).withMaxEvents(5_000));

        assertThat(digest(a.iterator())).isNotEqualTo(digest(b.iterator()));
        assertThat(a.fleet().agents().stream().map(AgentProfile::agentId).toList())
                .isNotEqualTo(b.fleet().agents().stream().map(AgentProfile::agentId).toList());
    }

    @Test
    void shouldChooseTheSameIncidentTargetsAndIdsForTheSameSeed() {
        assertThat(new FleetSimulator(Simulations.allIncidents(11)).groundTruth())
                .isEqualTo(new FleetSimulator(Simulations.allIncidents(11)).groundTruth());
        assertThat(new FleetSimulator(Simulations.allIncidents(11)).groundTruth())
                .isNotEqualTo(new FleetSimulator(Simulations.allIncidents(12)).groundTruth());
    }

    @Test
    void shouldKeepAttributesInSortedKeyOrderSoThatTheirBytesRepeat() {
        // a hash-ordered map would serialize its entries in an order that changes from one JVM to the next
        for (AgentProfile agent : new FleetSimulator(Simulations.healthy(5)).fleet().agents()) {
            assertThat(agent.attributes().keySet()).containsExactly("model_lane", "risk_class", "team");
        }
    }

    private static String digest(Iterator<AgentEvent> events) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            SpecificDatumWriter<AgentEvent> writer = new SpecificDatumWriter<>(AgentEvent.class);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            BinaryEncoder encoder = null;
            long n = 0;
            while (events.hasNext()) {
                bytes.reset();
                encoder = EncoderFactory.get().binaryEncoder(bytes, encoder);
                writer.write(events.next(), encoder);
                encoder.flush();
                sha.update(bytes.toByteArray());
                n++;
            }
            assertThat(n).isPositive();
            return HexFormat.of().formatHex(sha.digest()) + "/" + n;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
