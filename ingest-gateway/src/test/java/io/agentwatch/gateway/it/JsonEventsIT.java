package io.agentwatch.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentwatch.gateway.IngestGateway;
import io.agentwatch.schema.AgentEvent;
import io.agentwatch.schema.Operation;
import io.agentwatch.testsupport.Await;
import io.agentwatch.testsupport.KafkaStack;
import io.agentwatch.testsupport.KafkaStackExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The JSON endpoint against the real broker: valid items published, each kind of invalid item refused by field. */
@ExtendWith(KafkaStackExtension.class)
@Timeout(120)
class JsonEventsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> post(IngestGateway gateway, String contentType, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/events"))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldPublishTheValidItemsOfABatchAndRefuseEachInvalidOneNamingTheField(KafkaStack stack) throws Exception {
        String topic = stack.uniqueName("events");
        stack.createTopic(topic, 3);
        try (IngestGateway gateway = GatewayStackFixture.start(stack.bootstrapServers(), stack.registryUrl(), topic,
                Map.of("http.max.request.bytes", "4096"))) {
            String batch = """
                    [
                      {"event_id": "e-1", "timestamp": "2026-01-15T10:00:00Z", "agent_id": "billing-bot", "session_id": "s-1",
                       "operation": "CHAT", "model": "gpt-4o", "input_tokens": 900, "output_tokens": 120, "latency_ms": 840},
                      {"event_id": "e-2", "timestamp": 1768471201000, "agent_name": "no id"},
                      {"event_id": "e-3", "timestamp": 1768471202000, "agent_id": "billing-bot", "input_tokens": -40},
                      {"event_id": "e-4", "timestamp": 1768471203000, "agent_id": "billing-bot", "operation": "DANCE"},
                      {"event_id": "e-5", "timestamp": 1768471204000, "agent_id": "billing-bot", "latency_ms": "slow"},
                      {"event_id": "e-6", "timestamp": 1768471205000, "agent_id": "billing-bot", "operation": "execute_tool",
                       "tool_name": "refund", "status": "TIMEOUT", "error_type": "timeout", "retry_count": 1}
                    ]
                    """;

            HttpResponse<String> response = post(gateway, "application/json", batch);

            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode answer = JSON.readTree(response.body());
            assertThat(answer.get("accepted").asInt()).isEqualTo(2);
            assertThat(answer.get("rejected").asInt()).isEqualTo(4);
            assertThat(answer.get("errors")).extracting(e -> e.get("event_id").asText() + " " + e.get("error").asText())
                    .containsExactly(
                            "e-2 agent_id: is missing",
                            "e-3 input_tokens: must be >= 0, was -40",
                            "e-4 operation: unknown value 'DANCE', expected one of [CHAT, EXECUTE_TOOL, INVOKE_AGENT, PLAN, RETRIEVAL, EMBEDDINGS, HEARTBEAT, OTHER]",
                            "e-5 latency_ms: expected an integer, got the string 'slow'");

            HttpResponse<String> oversized = post(gateway, "application/json", "[" + "{\"agent_id\": \"billing-bot\"},".repeat(200) + "{}]");
            assertThat(oversized.statusCode()).isEqualTo(413);
            assertThat(JSON.readTree(oversized.body()).get("error").asText()).startsWith("body: request body larger than 4096 bytes");

            try (KafkaConsumer<String, AgentEvent> consumer = GatewayStackFixture.consumer(stack, topic)) {
                List<ConsumerRecord<String, AgentEvent>> records = Await.records(consumer, 2, Duration.ofSeconds(60));
                assertThat(records).extracting(r -> r.value().getEventId()).containsExactlyInAnyOrder("e-1", "e-6");
                assertThat(records).extracting(ConsumerRecord::key).containsOnly("billing-bot");
                AgentEvent tool = records.stream().map(ConsumerRecord::value).filter(e -> e.getEventId().equals("e-6")).findFirst().orElseThrow();
                assertThat(tool.getOperation()).isEqualTo(Operation.EXECUTE_TOOL);
                assertThat(tool.getRetryCount()).isEqualTo(1);
                assertThat(consumer.poll(Duration.ofMillis(500))).as("nothing else was published").isEmpty();
            }
        }
    }
}
