package io.agentwatch.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwatch.schema.AgentEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.avro.Schema;

/**
 * Hand-made versions of the AgentEvent schema, derived from the current one, that other producers could have
 * written with: an older release (without the trailing optional fields), a newer one (an extra optional field and
 * an extra Status symbol), and changes the contract forbids.
 */
final class AgentEventSchemas {
    /** Trailing fields of the current schema that the "older" release did not have yet. */
    static final List<String> ADDED_SINCE_OLDER = List.of("confidence", "outcome", "approval", "attributes");
    static final String NEW_STATUS_SYMBOL = "THROTTLED";

    private static final ObjectMapper JSON = new ObjectMapper();

    private AgentEventSchemas() {
    }

    static Schema older() {
        ObjectNode schema = current();
        ArrayNode fields = (ArrayNode) schema.get("fields");
        for (int i = fields.size() - 1; i >= 0; i--) {
            if (ADDED_SINCE_OLDER.contains(fields.get(i).get("name").asText())) {
                fields.remove(i);
            }
        }
        return parse(schema);
    }

    static Schema newer() {
        ObjectNode schema = current();
        ArrayNode fields = (ArrayNode) schema.get("fields");
        for (JsonNode field : fields) {
            if (field.get("name").asText().equals("status")) {
                ((ArrayNode) field.get("type").get("symbols")).add(NEW_STATUS_SYMBOL);
            }
        }
        fields.addObject().put("name", "region").putNull("default")
                .putArray("type").add("null").add("string");
        return parse(schema);
    }

    /** A new required field without a default: old records cannot be read with it, so BACKWARD must refuse it. */
    static Schema withNewRequiredField() {
        ObjectNode schema = current();
        ((ArrayNode) schema.get("fields")).addObject().put("name", "region").put("type", "string");
        return parse(schema);
    }

    /** A record of the same name whose only field has another type: no AgentEvent can be read from it. */
    static Schema incompatibleWriter() {
        return new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"AgentEvent\",\"namespace\":\"io.agentwatch.schema\","
                + "\"fields\":[{\"name\":\"event_id\",\"type\":\"long\"}]}");
    }

    private static ObjectNode current() {
        try {
            return (ObjectNode) JSON.readTree(AgentEvent.getClassSchema().toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Schema parse(JsonNode schema) {
        return new Schema.Parser().parse(schema.toString());
    }
}
