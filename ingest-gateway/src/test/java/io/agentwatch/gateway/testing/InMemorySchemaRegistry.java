package io.agentwatch.gateway.testing;

import io.agentwatch.schema.registry.SchemaNotFoundException;
import io.agentwatch.schema.registry.SchemaRegistryClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;

/** A schema registry in a map, for tests that need the serializer but no registry server. */
public final class InMemorySchemaRegistry implements SchemaRegistryClient {
    private final Map<Integer, Schema> byId = new ConcurrentHashMap<>();
    private final Map<String, Map<Schema, Integer>> bySubject = new ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger(1);

    @Override
    public int register(String subject, Schema schema) {
        return bySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>()).computeIfAbsent(schema, s -> {
            int id = nextId.getAndIncrement();
            byId.put(id, s);
            return id;
        });
    }

    @Override
    public int idOf(String subject, Schema schema) {
        Integer id = bySubject.getOrDefault(subject, Map.of()).get(schema);
        if (id == null) {
            throw new SchemaNotFoundException("no such schema under " + subject, 40403);
        }
        return id;
    }

    @Override
    public Schema schemaById(int id) {
        Schema s = byId.get(id);
        if (s == null) {
            throw new SchemaNotFoundException("no schema " + id, 40403);
        }
        return s;
    }

    @Override
    public RegisteredSchema latest(String subject) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean isCompatible(String subject, Schema schema) {
        return true;
    }

    @Override
    public void setCompatibility(String subject, String level) {
    }

    @Override
    public void setGlobalCompatibility(String level) {
    }

    @Override
    public String compatibility(String subject) {
        return "NONE";
    }

    @Override
    public List<String> subjects() {
        return new ArrayList<>(bySubject.keySet());
    }

    @Override
    public void close() {
    }
}
