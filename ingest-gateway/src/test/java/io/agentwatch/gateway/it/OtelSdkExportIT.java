package io.agentwatch.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentwatch.gateway.IngestGateway;
import io.agentwatch.schema.AgentEvent;
import io.agentwatch.schema.Operation;
import io.agentwatch.schema.Status;
import io.agentwatch.testsupport.Await;
import io.agentwatch.testsupport.KafkaStack;
import io.agentwatch.testsupport.KafkaStackExtension;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.exporter.otlp.internal.HttpExporterBuilder;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.lang.reflect.Field;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The OpenTelemetry Java SDK, a real client, exports the GenAI spans of a small agent run through its OTLP/HTTP
 * span exporter to the gateway; the AgentEvents on the real broker must carry the run's agent, session, trace
 * lineage, tokens, status and latency. Once with the exporter's protobuf encoding, once with its JSON encoding.
 */
@ExtendWith(KafkaStackExtension.class)
@Timeout(120)
class OtelSdkExportIT {
    private static final Instant RUN_START = Instant.parse("2026-01-15T10:00:00Z");

    @Test
    void shouldPublishTheAgentRunExportedByTheSdkAsProtobuf(KafkaStack stack) throws Exception {
        String topic = stack.uniqueName("events");
        stack.createTopic(topic, 3);
        try (IngestGateway gateway = GatewayStackFixture.start(stack.bootstrapServers(), stack.registryUrl(), topic, Map.of())) {
            OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder()
                    .setEndpoint(gateway.baseUrl() + "/v1/traces").setCompression("gzip").build();
            RunIds ids = exportAgentRun(exporter);
            assertTheRunArrived(stack, topic, ids);
            assertThat(metric(gateway, "agentwatch_gateway_spans_received_total{encoding=\"protobuf\"")).isEqualTo(4.0);
        }
    }

    @Test
    void shouldPublishTheAgentRunExportedByTheSdkAsJson(KafkaStack stack) throws Exception {
        String topic = stack.uniqueName("events");
        stack.createTopic(topic, 3);
        try (IngestGateway gateway = GatewayStackFixture.start(stack.bootstrapServers(), stack.registryUrl(), topic, Map.of())) {
            OtlpHttpSpanExporter exporter = jsonExporter(gateway.baseUrl() + "/v1/traces");
            RunIds ids = exportAgentRun(exporter);
            assertTheRunArrived(stack, topic, ids);
            assertThat(metric(gateway, "agentwatch_gateway_spans_received_total{encoding=\"json\"")).isEqualTo(4.0);
        }
    }

    /**
     * The SDK 1.67 span exporter has no public switch for OTLP/JSON (opentelemetry-java#5833); its HTTP exporter
     * does, internally (HttpExporterBuilder.exportAsJson, which the metric exporter uses). Reach it by reflection:
     * the bytes on the wire are then the SDK's own JSON marshaling.
     */
    private static OtlpHttpSpanExporter jsonExporter(String endpoint) throws ReflectiveOperationException {
        OtlpHttpSpanExporterBuilder builder = OtlpHttpSpanExporter.builder().setEndpoint(endpoint);
        Field delegate = OtlpHttpSpanExporterBuilder.class.getDeclaredField("delegate");
        delegate.setAccessible(true);
        ((HttpExporterBuilder) delegate.get(builder)).exportAsJson();
        return builder.build();
    }

    private record RunIds(String traceId, String agentSpanId, String chatSpanId, String toolSpanId, String httpSpanId) {
    }

    /** invoke_agent -> chat (usage) -> execute_tool (times out), plus one plain HTTP span the gateway ignores. */
    private static RunIds exportAgentRun(SpanExporter exporter) {
        try (SdkTracerProvider provider = SdkTracerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(
                        AttributeKey.stringKey("service.name"), "support-bot",
                        AttributeKey.stringKey("service.version"), "2.4.1"))))
                .addSpanProcessor(BatchSpanProcessor.builder(exporter).build())
                .build()) {
            Tracer tracer = provider.get("io.agentwatch.it", "1.0");
            Span agent = tracer.spanBuilder("invoke_agent refund-agent").setSpanKind(SpanKind.INTERNAL)
                    .setStartTimestamp(RUN_START)
                    .setAttribute("gen_ai.operation.name", "invoke_agent")
                    .setAttribute("gen_ai.agent.id", "refund-agent")
                    .setAttribute("gen_ai.agent.name", "Refund agent")
                    .setAttribute("gen_ai.conversation.id", "conv-42")
                    .setAttribute("agentwatch.outcome", "succeeded")
                    .startSpan();
            Context inAgent = Context.current().with(agent);
            Span chat = tracer.spanBuilder("chat gpt-4o").setParent(inAgent).setSpanKind(SpanKind.CLIENT)
                    .setStartTimestamp(RUN_START.plusMillis(20))
                    .setAttribute("gen_ai.operation.name", "chat")
                    .setAttribute("gen_ai.agent.id", "refund-agent")
                    .setAttribute("gen_ai.conversation.id", "conv-42")
                    .setAttribute("gen_ai.provider.name", "openai")
                    .setAttribute("gen_ai.request.model", "gpt-4o")
                    .setAttribute("gen_ai.usage.input_tokens", 1200L)
                    .setAttribute("gen_ai.usage.output_tokens", 310L)
                    .startSpan();
            chat.end(RUN_START.plusMillis(20 + 1_750));
            Span tool = tracer.spanBuilder("execute_tool lookup_order").setParent(inAgent).setSpanKind(SpanKind.INTERNAL)
                    .setStartTimestamp(RUN_START.plusMillis(1_800))
                    .setAttribute("gen_ai.operation.name", "execute_tool")
                    .setAttribute("gen_ai.agent.id", "refund-agent")
                    .setAttribute("gen_ai.conversation.id", "conv-42")
                    .setAttribute("gen_ai.tool.name", "lookup_order")
                    .setAttribute("error.type", "timeout")
                    .startSpan();
            tool.setStatus(StatusCode.ERROR, "lookup_order timed out after 5 s");
            tool.end(RUN_START.plusMillis(1_800 + 5_000));
            Span http = tracer.spanBuilder("GET /orders").setParent(Context.current().with(tool)).setSpanKind(SpanKind.CLIENT)
                    .setStartTimestamp(RUN_START.plusMillis(1_801)).setAttribute("http.request.method", "GET").startSpan();
            http.end(RUN_START.plusMillis(1_900));
            agent.end(RUN_START.plusMillis(7_000));

            CompletableResultCode flushed = provider.forceFlush().join(30, TimeUnit.SECONDS);
            assertThat(flushed.isSuccess()).as("the SDK's exporter got a success answer").isTrue();
            return new RunIds(agent.getSpanContext().getTraceId(), agent.getSpanContext().getSpanId(),
                    chat.getSpanContext().getSpanId(), tool.getSpanContext().getSpanId(), http.getSpanContext().getSpanId());
        }
    }

    private static void assertTheRunArrived(KafkaStack stack, String topic, RunIds ids) {
        List<AgentEvent> events;
        try (KafkaConsumer<String, AgentEvent> consumer = GatewayStackFixture.consumer(stack, topic)) {
            List<ConsumerRecord<String, AgentEvent>> records = Await.records(consumer, 3, Duration.ofSeconds(60));
            assertThat(records).extracting(ConsumerRecord::key).containsOnly("refund-agent");
            events = records.stream().map(ConsumerRecord::value).sorted(Comparator.comparing(AgentEvent::getTimestamp)).toList();
        }
        assertThat(events).hasSize(3).extracting(AgentEvent::getSpanId).doesNotContain(ids.httpSpanId());

        AgentEvent agent = events.get(0);
        AgentEvent chat = events.get(1);
        AgentEvent tool = events.get(2);
        assertThat(events).allSatisfy(e -> {
            assertThat(e.getAgentId()).isEqualTo("refund-agent");
            assertThat(e.getSessionId()).isEqualTo("conv-42");
            assertThat(e.getTraceId()).isEqualTo(ids.traceId());
            assertThat(e.getAgentVersion()).isEqualTo("2.4.1");
        });

        assertThat(agent.getOperation()).isEqualTo(Operation.INVOKE_AGENT);
        assertThat(agent.getSpanId()).isEqualTo(ids.agentSpanId());
        assertThat(agent.getParentSpanId()).isNull();
        assertThat(agent.getAgentName()).isEqualTo("Refund agent");
        assertThat(agent.getLatencyMs()).isEqualTo(7_000L);
        assertThat(agent.getStatus()).isEqualTo(Status.OK);
        assertThat(agent.getTimestamp()).isEqualTo(RUN_START);
        assertThat(agent.getOutcome()).isEqualTo(io.agentwatch.schema.Outcome.SUCCEEDED);

        assertThat(chat.getOperation()).isEqualTo(Operation.CHAT);
        assertThat(chat.getSpanId()).isEqualTo(ids.chatSpanId());
        assertThat(chat.getParentSpanId()).isEqualTo(ids.agentSpanId());
        assertThat(chat.getModel()).isEqualTo("gpt-4o");
        assertThat(chat.getProvider()).isEqualTo("openai");
        assertThat(chat.getInputTokens()).isEqualTo(1200L);
        assertThat(chat.getOutputTokens()).isEqualTo(310L);
        assertThat(chat.getLatencyMs()).isEqualTo(1_750L);
        assertThat(chat.getStatus()).isEqualTo(Status.OK);

        assertThat(tool.getOperation()).isEqualTo(Operation.EXECUTE_TOOL);
        assertThat(tool.getSpanId()).isEqualTo(ids.toolSpanId());
        assertThat(tool.getParentSpanId()).isEqualTo(ids.agentSpanId());
        assertThat(tool.getToolName()).isEqualTo("lookup_order");
        assertThat(tool.getStatus()).isEqualTo(Status.TIMEOUT);
        assertThat(tool.getErrorType()).isEqualTo("timeout");
        assertThat(tool.getLatencyMs()).isEqualTo(5_000L);
    }

    private static double metric(IngestGateway gateway, String prefix) throws Exception {
        HttpResponse<String> scrape = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        return scrape.body().lines().filter(l -> l.startsWith(prefix)).mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }
}
