package io.agentwatch.processor.detect;

import io.agentwatch.processor.state.ByteReader;
import io.agentwatch.schema.serde.ByteSink;
import java.util.ArrayList;
import java.util.List;

/** The last few trace ids of one kind (errors, slow steps, token-heavy steps), newest first: an alert's exemplars. */
final class EvidenceRing {
    static final int CAPACITY = 5;
    private final String[] ids = new String[CAPACITY];
    private int next;
    private int size;

    /** Adds a trace id unless it is the newest already (a trace's steps arrive together). */
    boolean add(String traceId) {
        if (traceId == null) {
            return false;
        }
        if (size > 0 && traceId.equals(ids[(next + CAPACITY - 1) % CAPACITY])) {
            return false;
        }
        ids[next] = traceId;
        next = (next + 1) % CAPACITY;
        size = Math.min(size + 1, CAPACITY);
        return true;
    }

    List<String> newestFirst() {
        List<String> out = new ArrayList<>(size);
        for (int i = 1; i <= size; i++) {
            out.add(ids[(next + CAPACITY - i) % CAPACITY]);
        }
        return out;
    }

    void encode(ByteSink out) {
        List<String> list = newestFirst();
        out.varLong(list.size());
        for (String id : list) {
            out.string(id);
        }
    }

    static EvidenceRing decode(ByteReader in) {
        EvidenceRing ring = new EvidenceRing();
        int n = in.varInt();
        String[] newestFirst = new String[n];
        for (int i = 0; i < n; i++) {
            newestFirst[i] = in.string();
        }
        for (int i = n - 1; i >= 0; i--) {
            ring.add(newestFirst[i]);
        }
        return ring;
    }
}
