package io.agentwatch.processor.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentwatch.schema.registry.RegistryUnavailableException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

/** The processing exception handler, in a one-processor topology whose processor throws what each test gives it. */
class DeadLetterProcessingHandlerTest {
    private static final String IN = "in";
    private static final String DLQ = "dlq";

    @Test
    void shouldDeadLetterARecordOurOwnCodeFailedOnAndKeepGoing() {
        try (TopologyTestDriver driver = driver(() -> new IllegalStateException("a bug"))) {
            input(driver).pipeInput(bytes("k"), bytes("v"));
            TestOutputTopic<byte[], byte[]> dlq = driver.createOutputTopic(DLQ, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer());
            assertThat(dlq.readRecordsToList()).singleElement()
                    .satisfies(r -> assertThat(DeadLetters.header(r.headers(), DeadLetters.REASON)).isEqualTo("processing-error"));
        }
    }

    @Test
    void shouldFailTheTaskInsteadOfDeadLetteringWhenTheSchemaRegistryStaysUnreachable() {
        Supplier<RuntimeException> outage = () -> new RegistryOutageException("schema registry unavailable for 2m",
                new RegistryUnavailableException("connection refused", -1, null));
        try (TopologyTestDriver driver = driver(outage)) {
            assertThatThrownBy(() -> input(driver).pipeInput(bytes("k"), bytes("v")))
                    .isInstanceOf(StreamsException.class)
                    .satisfies(e -> assertThat(RegistryOutageException.isCause(e)).isTrue());
            TestOutputTopic<byte[], byte[]> dlq = driver.createOutputTopic(DLQ, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer());
            assertThat(dlq.isEmpty()).as("a record that only waited for the registry is not a poison pill").isTrue();
        }
    }

    private static TopologyTestDriver driver(Supplier<RuntimeException> failure) {
        Topology topology = new Topology();
        topology.addSource("ingest-in", Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(), IN);
        topology.addProcessor("fail", () -> new Processor<byte[], byte[], byte[], byte[]>() {
            @Override
            public void process(Record<byte[], byte[]> record) {
                throw failure.get();
            }
        }, "ingest-in");
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "handler-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:9092");
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProcessingHandler.class);
        props.put(DeadLetterProcessingHandler.DLQ_TOPIC_CONFIG, DLQ);
        return new TopologyTestDriver(topology, props);
    }

    private static TestInputTopic<byte[], byte[]> input(TopologyTestDriver driver) {
        return driver.createInputTopic(IN, Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
