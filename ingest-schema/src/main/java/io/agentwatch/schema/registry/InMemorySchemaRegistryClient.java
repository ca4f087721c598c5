package io.agentwatch.schema.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

/**
 * A schema registry that lives in the process: for offline tools (the backtest replays files without a cluster,
 * the benchmarks measure the serdes alone) and for unit tests. It assigns ids like a real registry, keeps versions
 * per subject and enforces a compatibility level per subject with Avro's own resolution rules, so code that works
 * against it behaves the same against the HTTP registry. Thread-safe.
 */
public final class InMemorySchemaRegistryClient implements SchemaRegistryClient {
    private final Map<Integer, Schema> byId = new TreeMap<>();
    private final Map<String, List<Integer>> versions = new TreeMap<>();
    private final Map<String, String> compatibility = new TreeMap<>();
    private String globalCompatibility = "BACKWARD";
    private int nextId = 1;

    @Override
    public synchronized int register(String subject, Schema schema) {
        List<Integer> ids = versions.computeIfAbsent(subject, s -> new ArrayList<>());
        for (int id : ids) {
            if (byId.get(id).equals(schema)) {
                return id;
            }
        }
        if (!isCompatible(subject, schema)) {
            throw new IncompatibleSchemaException("schema being registered is incompatible with an earlier schema of subject " + subject
                    + " (" + compatibility(subject) + ")", 409);
        }
        int id = idOfAnySubject(schema);
        if (id < 0) {
            id = nextId++;
            byId.put(id, schema);
        }
        ids.add(id);
        return id;
    }

    private int idOfAnySubject(Schema schema) {
        for (Map.Entry<Integer, Schema> e : byId.entrySet()) {
            if (e.getValue().equals(schema)) {
                return e.getKey();
            }
        }
        return -1;
    }

    @Override
    public synchronized int idOf(String subject, Schema schema) {
        for (int id : versions.getOrDefault(subject, List.of())) {
            if (byId.get(id).equals(schema)) {
                return id;
            }
        }
        throw new SchemaNotFoundException("schema not found under subject " + subject, 40403);
    }

    @Override
    public synchronized Schema schemaById(int id) {
        Schema schema = byId.get(id);
        if (schema == null) {
            throw new SchemaNotFoundException("schema " + id + " not found", 40403);
        }
        return schema;
    }

    @Override
    public synchronized RegisteredSchema latest(String subject) {
        List<Integer> ids = versions.get(subject);
        if (ids == null || ids.isEmpty()) {
            throw new SchemaNotFoundException("subject " + subject + " not found", 40401);
        }
        int id = ids.get(ids.size() - 1);
        return new RegisteredSchema(subject, id, ids.size(), byId.get(id));
    }

    @Override
    public synchronized boolean isCompatible(String subject, Schema schema) {
        String level = compatibility(subject);
        List<Integer> ids = versions.getOrDefault(subject, List.of());
        if (ids.isEmpty() || level.equals("NONE")) {
            return true;
        }
        List<Integer> against = level.endsWith("_TRANSITIVE") ? ids : List.of(ids.get(ids.size() - 1));
        for (int id : against) {
            Schema old = byId.get(id);
            boolean backward = compatible(schema, old);
            boolean forward = compatible(old, schema);
            boolean ok = switch (level.replace("_TRANSITIVE", "")) {
                case "BACKWARD" -> backward;
                case "FORWARD" -> forward;
                case "FULL" -> backward && forward;
                default -> true;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean compatible(Schema reader, Schema writer) {
        return SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getType()
                == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE;
    }

    @Override
    public synchronized void setCompatibility(String subject, String level) {
        compatibility.put(subject, level);
    }

    @Override
    public synchronized void setGlobalCompatibility(String level) {
        globalCompatibility = level;
    }

    @Override
    public synchronized String compatibility(String subject) {
        return compatibility.getOrDefault(subject, globalCompatibility);
    }

    @Override
    public synchronized List<String> subjects() {
        return new ArrayList<>(versions.keySet());
    }

    @Override
    public void close() {
    }
}
