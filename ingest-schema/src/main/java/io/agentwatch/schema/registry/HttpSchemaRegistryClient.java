package io.agentwatch.schema.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small Confluent Schema Registry REST client on the JDK's HttpClient and Jackson. It caches both ways
 * (id to schema, subject and schema to id) for the life of the client, retries connection errors and 5xx
 * answers with exponential backoff and jitter, fails over between several URLs, and turns every refusal into
 * a typed {@link SchemaRegistryException}. Thread-safe; share one per process.
 */
public final class HttpSchemaRegistryClient implements SchemaRegistryClient {
    private static final Logger log = LoggerFactory.getLogger(HttpSchemaRegistryClient.class);
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RegistryConfig config;
    private final HttpClient http;
    private final Optional<String> authorization;
    private final AtomicInteger preferredUrl = new AtomicInteger();
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final Map<SubjectSchema, Integer> idsBySubjectSchema = new ConcurrentHashMap<>();

    public HttpSchemaRegistryClient(RegistryConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.http = HttpClient.newBuilder()
                .connectTimeout(config.connectTimeout())
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        if (config.bearerToken().isPresent()) {
            this.authorization = Optional.of("Bearer " + config.bearerToken().get());
        } else {
            this.authorization = config.basicUserInfo().map(info ->
                    "Basic " + Base64.getEncoder().encodeToString(info.getBytes(StandardCharsets.UTF_8)));
        }
    }

    public RegistryConfig config() {
        return config;
    }

    @Override
    public int register(String subject, Schema schema) {
        SubjectSchema key = new SubjectSchema(subject, schema);
        Integer cached = idsBySubjectSchema.get(key);
        if (cached != null) {
            return cached;
        }
        ObjectNode body = JSON.createObjectNode().put("schema", schema.toString());
        JsonNode answer = send("POST", "/subjects/" + encode(subject) + "/versions", body);
        int id = requiredInt(answer, "id");
        idsBySubjectSchema.put(key, id);
        schemasById.putIfAbsent(id, schema);
        log.debug("registered schema {} under subject {} as id {}", schema.getFullName(), subject, id);
        return id;
    }

    @Override
    public int idOf(String subject, Schema schema) {
        SubjectSchema key = new SubjectSchema(subject, schema);
        Integer cached = idsBySubjectSchema.get(key);
        if (cached != null) {
            return cached;
        }
        ObjectNode body = JSON.createObjectNode().put("schema", schema.toString());
        JsonNode answer = send("POST", "/subjects/" + encode(subject), body);
        int id = requiredInt(answer, "id");
        idsBySubjectSchema.put(key, id);
        schemasById.putIfAbsent(id, schema);
        return id;
    }

    @Override
    public Schema schemaById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = send("GET", "/schemas/ids/" + id, null);
        String type = answer.path("schemaType").asText("AVRO");
        if (!"AVRO".equalsIgnoreCase(type)) {
            throw new RegistryRequestException("schema id " + id + " is a " + type + " schema, not Avro", 200, -1);
        }
        Schema schema = parse(answer.path("schema").asText(), "schema id " + id);
        Schema raced = schemasById.putIfAbsent(id, schema);
        return raced != null ? raced : schema;
    }

    @Override
    public RegisteredSchema latest(String subject) {
        JsonNode answer = send("GET", "/subjects/" + encode(subject) + "/versions/latest", null);
        int id = requiredInt(answer, "id");
        Schema schema = schemasById.computeIfAbsent(id, ignored -> parse(answer.path("schema").asText(), "subject " + subject));
        return new RegisteredSchema(subject, id, answer.path("version").asInt(), schema);
    }

    @Override
    public boolean isCompatible(String subject, Schema schema) {
        ObjectNode body = JSON.createObjectNode().put("schema", schema.toString());
        try {
            JsonNode answer = send("POST", "/compatibility/subjects/" + encode(subject) + "/versions/latest", body);
            return answer.path("is_compatible").asBoolean(false);
        } catch (SchemaNotFoundException e) {
            return true; // nothing registered yet: anything is compatible
        }
    }

    @Override
    public void setCompatibility(String subject, String level) {
        send("PUT", "/config/" + encode(subject), JSON.createObjectNode().put("compatibility", level));
    }

    @Override
    public void setGlobalCompatibility(String level) {
        send("PUT", "/config", JSON.createObjectNode().put("compatibility", level));
    }

    @Override
    public String compatibility(String subject) {
        try {
            // defaultToGlobal: Apicurio answers NONE for a subject without its own level (while enforcing the global one)
            JsonNode answer = send("GET", "/config/" + encode(subject) + "?defaultToGlobal=true", null);
            return compatibilityOf(answer);
        } catch (SchemaNotFoundException e) {
            return compatibilityOf(send("GET", "/config", null));
        }
    }

    @Override
    public List<String> subjects() {
        JsonNode answer = send("GET", "/subjects", null);
        List<String> subjects = new ArrayList<>();
        answer.forEach(n -> subjects.add(n.asText()));
        return subjects;
    }

    @Override
    public void close() {
        // HttpClient on Java 17 has no close(); its threads are daemons and go with the client.
    }

    private static String compatibilityOf(JsonNode answer) {
        String level = answer.path("compatibilityLevel").asText(null);
        return level != null ? level : answer.path("compatibility").asText("NONE");
    }

    private JsonNode send(String method, String path, JsonNode body) {
        List<URI> urls = config.urls();
        int attempts = config.maxRetries() + 1;
        long backoff = Math.max(1, config.retryBackoff().toMillis());
        RuntimeException last = null;
        int lastStatus = -1;
        for (int attempt = 0; attempt < attempts; attempt++) {
            int urlIndex = Math.floorMod(preferredUrl.get() + attempt, urls.size());
            URI base = urls.get(urlIndex);
            HttpRequest request = request(base, method, path, body);
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                int status = response.statusCode();
                if (status >= 200 && status < 300) {
                    preferredUrl.set(urlIndex);
                    return response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
                }
                lastStatus = status;
                if (status >= 500 || status == 429 || status == 408) {
                    last = new RegistryUnavailableException(describe(method, base, path) + " answered " + status + ": " + message(response.body()), status, null);
                } else {
                    throw refusal(method, base, path, status, response.body());
                }
            } catch (IOException e) {
                last = new RegistryUnavailableException(describe(method, base, path) + " failed: " + e, -1, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RegistryUnavailableException(describe(method, base, path) + " interrupted", -1, e);
            }
            if (attempt + 1 < attempts) {
                log.debug("schema registry attempt {} of {} failed, retrying: {}", attempt + 1, attempts, last.getMessage());
                sleep(backoff + ThreadLocalRandom.current().nextLong(backoff / 2 + 1));
                backoff = Math.min(backoff * 2, 10_000);
            }
        }
        throw new RegistryUnavailableException("schema registry unavailable after " + attempts + " attempts: "
                + (last == null ? "no answer" : last.getMessage()), lastStatus, last);
    }

    private HttpRequest request(URI base, String method, String path, JsonNode body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(config.requestTimeout())
                .header("Accept", CONTENT_TYPE + ", application/json");
        authorization.ifPresent(value -> builder.header("Authorization", value));
        if (body == null) {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            builder.header("Content-Type", CONTENT_TYPE);
            builder.method(method, HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
        }
        return builder.build();
    }

    private static SchemaRegistryException refusal(String method, URI base, String path, int status, String body) {
        int errorCode = -1;
        try {
            errorCode = JSON.readTree(body).path("error_code").asInt(-1);
        } catch (IOException ignored) {
            // not JSON: keep -1
        }
        String message = describe(method, base, path) + " answered " + status + ": " + message(body);
        if (status == 404) {
            return new SchemaNotFoundException(message, errorCode);
        }
        if (status == 409) {
            return new IncompatibleSchemaException(message, errorCode);
        }
        return new RegistryRequestException(message, status, errorCode);
    }

    private static String message(String body) {
        if (body == null || body.isBlank()) {
            return "(empty body)";
        }
        try {
            JsonNode node = JSON.readTree(body);
            if (node.hasNonNull("message")) {
                return node.get("message").asText();
            }
        } catch (IOException ignored) {
            // fall through to the raw body
        }
        return body.length() > 300 ? body.substring(0, 300) + "..." : body;
    }

    private static String describe(String method, URI base, String path) {
        // the URL carries no credentials (they travel in a header), so it is safe to show
        return method + " " + base + path;
    }

    private static int requiredInt(JsonNode answer, String field) {
        JsonNode node = answer.get(field);
        if (node == null || !node.canConvertToInt()) {
            throw new RegistryRequestException("schema registry answer has no '" + field + "': " + answer, 200, -1);
        }
        return node.asInt();
    }

    private static Schema parse(String text, String what) {
        try {
            return new Schema.Parser().parse(text);
        } catch (RuntimeException e) {
            throw new RegistryRequestException("the registry's " + what + " is not a valid Avro schema: " + e.getMessage(), 200, -1);
        }
    }

    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryUnavailableException("interrupted while waiting to retry", -1, e);
        }
    }

    private record SubjectSchema(String subject, Schema schema) {
    }
}
