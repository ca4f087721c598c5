package io.agentwatch.gateway.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentwatch.gateway.EventRules;
import io.agentwatch.gateway.auth.TenantAuth.Caller;
import io.agentwatch.schema.AgentEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;

/**
 * Reads the JSON endpoint's body into AgentEvents: one object, an array of objects, or newline-delimited JSON
 * (one object per line, with {@code Content-Type: application/x-ndjson}). Field names and types are those of the
 * AgentEvent schema (DESIGN.md), checked against the schema itself so that a new optional field needs no code
 * here. Each item is converted and validated on its own: a broken item is reported with a message that names the
 * field ({@code input_tokens: must be >= 0, was -5}) and does not stop the others.
 *
 * <p>Leniencies, each documented in the README: {@code event_id} is generated when absent (a client that retries
 * must set it), {@code timestamp} defaults to the time of receipt and may also be an ISO-8601 string, enum symbols
 * are case-insensitive, and attribute values that are numbers or booleans are kept as their text.
 */
public final class JsonEventReader {
    public static final String NDJSON = "application/x-ndjson";

    private static final Schema SCHEMA = AgentEvent.getClassSchema();
    private static final SpecificData MODEL = new AgentEvent().getSpecificData();
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).build())
            .build();
    private static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

    private final EventRules rules;

    public JsonEventReader(EventRules rules) {
        this.rules = rules;
    }

    /** One item of the body: its event, or the reason it was refused. */
    public record Item(int index, AgentEvent event, String eventId, String error) {
        public boolean valid() {
            return event != null;
        }

        /** The field the error names (the text before the first ':'), for the answer. */
        public String field() {
            if (error == null) {
                return null;
            }
            int colon = error.indexOf(':');
            return colon < 0 ? null : error.substring(0, colon);
        }
    }

    /** The body cannot be read as JSON at all (HTTP 400 for the whole request). */
    public static final class MalformedBodyException extends Exception {
        public MalformedBodyException(String message) {
            super(message);
        }
    }

    public List<Item> read(byte[] body, boolean ndjson, Caller caller, long nowMs) throws MalformedBodyException {
        List<JsonNode> nodes = new ArrayList<>();
        List<String> parseErrors = new ArrayList<>();
        if (ndjson) {
            splitLines(body, nodes, parseErrors);
        } else {
            parseDocument(body, nodes, parseErrors);
        }
        List<Item> items = new ArrayList<>(nodes.size());
        for (int i = 0; i < nodes.size(); i++) {
            JsonNode node = nodes.get(i);
            if (node == null) {
                items.add(new Item(i, null, null, parseErrors.get(i)));
            } else {
                items.add(convert(i, node, caller, nowMs));
            }
        }
        return items;
    }

    private static void parseDocument(byte[] body, List<JsonNode> nodes, List<String> errors) throws MalformedBodyException {
        try (JsonParser p = FACTORY.createParser(body)) {
            p.setCodec(MAPPER);
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new MalformedBodyException("the body is empty: send one event object, an array of them, or NDJSON");
            }
            if (first == JsonToken.START_ARRAY) {
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    if (p.currentToken() == null) {
                        throw new MalformedBodyException("malformed JSON: the array is not closed");
                    }
                    nodes.add(p.readValueAsTree());
                    errors.add(null);
                }
                if (p.nextToken() != null) {
                    throw new MalformedBodyException("malformed JSON: content after the array");
                }
            } else {
                // one object, or several whitespace-separated objects (NDJSON sent as application/json)
                do {
                    nodes.add(p.readValueAsTree());
                    errors.add(null);
                } while (p.nextToken() != null);
            }
        } catch (JsonParseException e) {
            throw new MalformedBodyException("malformed JSON: " + e.getOriginalMessage() + location(e));
        } catch (IOException e) {
            throw new MalformedBodyException("cannot read the body: " + e.getMessage());
        }
    }

    private static void splitLines(byte[] body, List<JsonNode> nodes, List<String> errors) {
        String text = new String(body, StandardCharsets.UTF_8);
        int line = 0;
        for (String raw : text.split("\r?\n")) {
            line++;
            if (raw.isBlank()) {
                continue;
            }
            try {
                nodes.add(MAPPER.readTree(raw));
                errors.add(null);
            } catch (JsonParseException e) {
                nodes.add(null);
                errors.add("line " + line + ": malformed JSON: " + e.getOriginalMessage());
            } catch (IOException e) {
                nodes.add(null);
                errors.add("line " + line + ": " + e.getMessage());
            }
        }
    }

    private static String location(JsonParseException e) {
        return e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
    }

    Item convert(int index, JsonNode node, Caller caller, long nowMs) {
        if (!node.isObject()) {
            return new Item(index, null, null, "event: expected a JSON object, got " + describe(node));
        }
        String eventId = node.path("event_id").isTextual() ? node.get("event_id").asText() : null;
        AgentEvent e = new AgentEvent();
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            String name = entry.getKey();
            Schema.Field field = SCHEMA.getField(name);
            if (field == null) {
                return new Item(index, null, eventId, name + ": unknown field (AgentEvent fields are " + fieldNames() + ")");
            }
            JsonNode value = entry.getValue();
            if (value.isNull()) {
                if (!nullable(field.schema())) {
                    return new Item(index, null, eventId, name + ": must not be null");
                }
                continue;
            }
            Object converted;
            try {
                converted = convertValue(name, nonNull(field.schema()), value);
            } catch (FieldException ex) {
                return new Item(index, null, eventId, ex.getMessage());
            }
            e.put(field.pos(), converted);
        }
        if (e.getAgentId() == null) {
            return new Item(index, null, eventId, "agent_id: is missing");
        }
        if (e.getEventId() == null) {
            e.setEventId(UUID.randomUUID().toString());
        }
        if (e.getTimestamp() == null) {
            e.setTimestamp(Instant.ofEpochMilli(nowMs));
        }
        if (e.getOperation() == null) {
            e.setOperation(io.agentwatch.schema.Operation.OTHER);
        }
        if (e.getStatus() == null) {
            e.setStatus(io.agentwatch.schema.Status.OK);
        }
        if (e.getAttributes() == null) {
            e.setAttributes(Collections.emptyMap());
        }
        String violation = caller.tenantViolation(e.getTenant());
        if (violation != null) {
            return new Item(index, null, e.getEventId(), "tenant: " + violation);
        }
        e.setTenant(caller.resolveTenant(e.getTenant()));
        String broken = rules.check(e, nowMs);
        if (broken != null) {
            return new Item(index, null, e.getEventId(), broken);
        }
        return new Item(index, e, e.getEventId(), null);
    }

    private static Object convertValue(String name, Schema type, JsonNode value) throws FieldException {
        switch (type.getType()) {
            case STRING:
                if (!value.isTextual()) {
                    throw new FieldException(name + ": expected a string, got " + describe(value));
                }
                return value.asText();
            case LONG:
                if ("timestamp-millis".equals(type.getProp("logicalType"))
                        || type.getLogicalType() != null && "timestamp-millis".equals(type.getLogicalType().getName())) {
                    return timestamp(name, value);
                }
                return integral(name, value, Long.MIN_VALUE, Long.MAX_VALUE);
            case INT:
                return (int) integral(name, value, Integer.MIN_VALUE, Integer.MAX_VALUE);
            case DOUBLE:
            case FLOAT:
                if (!value.isNumber()) {
                    throw new FieldException(name + ": expected a number, got " + describe(value));
                }
                return type.getType() == Schema.Type.FLOAT ? (Object) value.floatValue() : (Object) value.doubleValue();
            case BOOLEAN:
                if (!value.isBoolean()) {
                    throw new FieldException(name + ": expected true or false, got " + describe(value));
                }
                return value.booleanValue();
            case ENUM:
                if (!value.isTextual()) {
                    throw new FieldException(name + ": expected one of " + type.getEnumSymbols() + ", got " + describe(value));
                }
                String symbol = value.asText().strip().toUpperCase(Locale.ROOT).replace('-', '_');
                if (!type.getEnumSymbols().contains(symbol)) {
                    throw new FieldException(name + ": unknown value '" + abbreviate(value.asText()) + "', expected one of " + type.getEnumSymbols());
                }
                return MODEL.createEnum(symbol, type);
            case MAP:
                if (!value.isObject()) {
                    throw new FieldException(name + ": expected an object of strings, got " + describe(value));
                }
                Map<String, String> map = new HashMap<>();
                for (Map.Entry<String, JsonNode> entry : value.properties()) {
                    JsonNode v = entry.getValue();
                    if (v.isTextual()) {
                        map.put(entry.getKey(), v.asText());
                    } else if (v.isNumber() || v.isBoolean()) {
                        map.put(entry.getKey(), v.asText());
                    } else {
                        throw new FieldException(name + "." + entry.getKey() + ": expected a string, got " + describe(v));
                    }
                }
                return map;
            default:
                throw new FieldException(name + ": the gateway cannot read fields of type " + type.getType() + " from JSON");
        }
    }

    private static Instant timestamp(String name, JsonNode value) throws FieldException {
        if (value.isTextual()) {
            try {
                return Instant.parse(value.asText().strip());
            } catch (DateTimeParseException e) {
                throw new FieldException(name + ": '" + abbreviate(value.asText()) + "' is not an ISO-8601 instant (e.g. 2026-01-31T12:00:00Z) nor epoch milliseconds");
            }
        }
        return Instant.ofEpochMilli(integral(name, value, Long.MIN_VALUE, Long.MAX_VALUE));
    }

    private static long integral(String name, JsonNode value, long min, long max) throws FieldException {
        if (!value.isNumber()) {
            throw new FieldException(name + ": expected an integer, got " + describe(value));
        }
        if (!value.isIntegralNumber()) {
            double d = value.doubleValue();
            if (d != Math.rint(d) || Double.isInfinite(d)) {
                throw new FieldException(name + ": expected an integer, got " + value.asText());
            }
        }
        if (!value.canConvertToLong() || value.longValue() < min || value.longValue() > max) {
            throw new FieldException(name + ": " + value.asText() + " is out of range");
        }
        return value.longValue();
    }

    private static boolean nullable(Schema schema) {
        if (schema.getType() != Schema.Type.UNION) {
            return false;
        }
        for (Schema s : schema.getTypes()) {
            if (s.getType() == Schema.Type.NULL) {
                return true;
            }
        }
        return false;
    }

    private static Schema nonNull(Schema schema) {
        if (schema.getType() != Schema.Type.UNION) {
            return schema;
        }
        for (Schema s : schema.getTypes()) {
            if (s.getType() != Schema.Type.NULL) {
                return s;
            }
        }
        return schema;
    }

    private static String describe(JsonNode n) {
        if (n.isTextual()) {
            return "the string '" + abbreviate(n.asText()) + "'";
        }
        if (n.isNumber()) {
            return "the number " + n.asText();
        }
        if (n.isBoolean()) {
            return "a boolean";
        }
        if (n.isArray()) {
            return "an array";
        }
        if (n.isObject()) {
            return "an object";
        }
        return n.getNodeType().toString().toLowerCase(Locale.ROOT);
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }

    private static List<String> fieldNames() {
        List<String> names = new ArrayList<>();
        for (Schema.Field f : SCHEMA.getFields()) {
            names.add(f.name());
        }
        return names;
    }

    private static final class FieldException extends Exception {
        FieldException(String message) {
            super(message, null, false, false);
        }
    }
}
