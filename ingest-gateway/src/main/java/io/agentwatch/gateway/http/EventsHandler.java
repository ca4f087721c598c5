package io.agentwatch.gateway.http;

import com.sun.net.httpserver.HttpExchange;
import io.agentwatch.gateway.GatewayConfig;
import io.agentwatch.gateway.auth.TenantAuth.Caller;
import io.agentwatch.gateway.json.JsonEventReader;
import io.agentwatch.gateway.publish.Backpressure;
import io.agentwatch.gateway.publish.EventPublisher;
import io.agentwatch.gateway.publish.PublishBatch;
import io.agentwatch.schema.AgentEvent;
import io.agentwatch.service.Responses;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code POST /v1/events}: AgentEvents as JSON with DESIGN's field names: one object, an array, or NDJSON. Valid
 * items are published even when others in the same body are not; the answer lists every refused item by index
 * with a message naming the field. Status: 200 when at least one item was published and none is left
 * unpublished for Kafka's sake, 400 when every item was invalid, 503 + Retry-After when Kafka did not
 * acknowledge some valid items (they are listed as {@code failed}; the others were published).
 */
public final class EventsHandler extends IngestHandler {
    private static final int MAX_LISTED = 1000;

    private final JsonEventReader reader;
    private final EventPublisher publisher;

    public EventsHandler(GatewayConfig config, Backpressure backpressure, GatewayMetrics metrics, JsonEventReader reader, EventPublisher publisher) {
        super(GatewayMetrics.EVENTS, config, backpressure, metrics);
        this.reader = reader;
        this.publisher = publisher;
    }

    @Override
    protected boolean answersInJson(String contentType) {
        return true;
    }

    @Override
    protected String unsupportedContentType(String contentType) {
        if (contentType == null) {
            return "Content-Type is missing: send application/json or application/x-ndjson";
        }
        String type = baseType(contentType);
        if (type.equals("application/json") || isNdjson(type)) {
            return null;
        }
        return "unsupported Content-Type '" + type + "': send application/json or application/x-ndjson";
    }

    private static boolean isNdjson(String type) {
        return type.equals(JsonEventReader.NDJSON) || type.equals("application/ndjson") || type.equals("application/jsonl")
                || type.equals("application/x-jsonlines");
    }

    @Override
    protected void sendError(HttpExchange exchange, boolean json, int status, String message) throws IOException {
        Responses.error(exchange, status, message);
    }

    @Override
    protected int ingest(HttpExchange exchange, String contentType, Caller caller, byte[] body) throws IOException, InterruptedException {
        long now = System.currentTimeMillis();
        List<JsonEventReader.Item> items;
        try {
            items = reader.read(body, isNdjson(baseType(contentType)), caller, now);
        } catch (JsonEventReader.MalformedBodyException e) {
            return error(exchange, true, 400, "body: " + e.getMessage(), 0);
        }
        List<AgentEvent> events = new ArrayList<>(items.size());
        List<Integer> eventIndex = new ArrayList<>(items.size());
        List<Map<String, Object>> errors = new ArrayList<>();
        int rejected = 0;
        for (JsonEventReader.Item item : items) {
            if (item.valid()) {
                events.add(item.event());
                eventIndex.add(item.index());
            } else {
                rejected++;
                if (errors.size() < MAX_LISTED) {
                    errors.add(entry(item.index(), item.eventId(), item.field(), item.error()));
                }
            }
        }
        metrics.rejected(GatewayMetrics.SOURCE_JSON).increment(rejected);

        int accepted = 0;
        int failed = 0;
        List<Map<String, Object>> failures = new ArrayList<>();
        if (!events.isEmpty()) {
            PublishBatch batch = publisher.publish(events);
            boolean settled = batch.await(config.publishTimeout().toMillis(), TimeUnit.MILLISECONDS);
            for (int i = 0; i < events.size(); i++) {
                if (batch.acknowledged(i)) {
                    accepted++;
                } else {
                    failed++;
                    if (failures.size() < MAX_LISTED) {
                        String cause = settled && batch.error(i) != null ? TracesHandler.describe(batch.error(i))
                                : "no acknowledgement within " + config.publishTimeout().toMillis() + " ms";
                        failures.add(entry(eventIndex.get(i), events.get(i).getEventId(), null, "not acknowledged by Kafka: " + cause));
                    }
                }
            }
            metrics.published(GatewayMetrics.SOURCE_JSON).increment(accepted);
            metrics.failed(GatewayMetrics.SOURCE_JSON).increment(failed);
        }

        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("accepted", accepted);
        answer.put("rejected", rejected);
        answer.put("failed", failed);
        answer.put("errors", errors);
        if (failed > 0) {
            answer.put("failures", failures);
        }
        int status;
        if (failed > 0) {
            status = 503;
            exchange.getResponseHeaders().set("Retry-After", Long.toString(config.retryAfterSeconds()));
        } else if (accepted == 0 && rejected > 0) {
            status = 400;
        } else {
            status = 200;
        }
        Responses.json(exchange, status, answer);
        return status;
    }

    private static Map<String, Object> entry(int index, String eventId, String field, String error) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("index", index);
        if (eventId != null) {
            e.put("event_id", eventId);
        }
        if (field != null) {
            e.put("field", field);
        }
        e.put("error", error);
        return e;
    }
}
