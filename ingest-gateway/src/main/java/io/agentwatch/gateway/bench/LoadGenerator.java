package io.agentwatch.gateway.bench;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.zip.GZIPOutputStream;

/**
 * Client threads that post OTLP trace requests to a gateway as fast as it answers, like OpenTelemetry exporters
 * do: a request answered 429/503 is retried (the same body, so the same event ids) after its Retry-After (at most
 * 5 s), a transport error after 100 ms. Records the status of every answer, the latency of every request after
 * the warm-up, and which requests were acknowledged (their prefixes), for {@link TopicVerifier}.
 */
public final class LoadGenerator {
    /**
     * @param endpoint       {@code http://host:port/v1/traces}
     * @param threads        client threads (each with its own connection)
     * @param spansPerRequest spans in each request
     * @param agents         distinct agent ids
     * @param json           OTLP/JSON instead of protobuf
     * @param gzip           gzip the bodies
     * @param bearerToken    sent as Authorization, if any
     */
    public record Options(URI endpoint, int threads, int spansPerRequest, int agents, boolean json, boolean gzip,
                          Optional<String> bearerToken) {
    }

    private final Options options;
    private final SpanTemplate template;
    private final long runId = ThreadLocalRandom.current().nextLong() & 0x7fff_0000_0000_0000L;
    private final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
    private final Map<String, Map<Integer, LongAdder>> statusesByPhase = new ConcurrentHashMap<>();
    private volatile String phase = "run";
    private final java.util.List<String> phases = new java.util.concurrent.CopyOnWriteArrayList<>(List.of("run"));
    private final LongAdder transportErrors = new LongAdder();
    private final LongAdder refusalsWithoutRetryAfter = new LongAdder();
    private final LongAdder acceptedSpans = new LongAdder();
    private final LongAdder measuredSpans = new LongAdder();
    private final Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
    private final List<Worker> workers = new ArrayList<>();
    private final long startedNanos = System.nanoTime();
    private final java.util.concurrent.atomic.AtomicLongArray okPerSecond = new java.util.concurrent.atomic.AtomicLongArray(3600);
    private final java.util.concurrent.atomic.AtomicLongArray refusedPerSecond = new java.util.concurrent.atomic.AtomicLongArray(3600);
    private volatile boolean running = true;
    private volatile long measureFromNanos = Long.MAX_VALUE;
    private volatile long measureToNanos = Long.MAX_VALUE;

    public LoadGenerator(Options options) {
        this.options = options;
        this.template = SpanTemplate.build(options.spansPerRequest(), options.agents(), System.currentTimeMillis() * 1_000_000L, options.json());
    }

    public SpanTemplate template() {
        return template;
    }

    /** Starts the client threads. */
    public LoadGenerator start() {
        for (int i = 0; i < options.threads(); i++) {
            Worker w = new Worker(i);
            workers.add(w);
            w.thread.start();
        }
        return this;
    }

    /** Names the phase the following answers are counted under (e.g. "kafka stopped"). */
    public void phase(String name) {
        if (!phases.contains(name)) {
            phases.add(name);
        }
        phase = name;
    }

    /** Answers by phase, in the order the phases began. */
    public Map<String, Map<Integer, Long>> statusesByPhase() {
        Map<String, Map<Integer, Long>> out = new LinkedHashMap<>();
        phases.forEach(p -> {
            Map<Integer, Long> counts = new TreeMap<>();
            statusesByPhase.getOrDefault(p, Map.of()).forEach((k, v) -> counts.put(k, v.sum()));
            out.put(p, counts);
        });
        return out;
    }

    /**
     * Answers per {@code bucketSeconds} since the start, one line each: {@code t=10s 200:12 other:0}; for showing
     * when an outage began to be answered with 503 and when 200s came back.
     */
    public List<String> timeline(int bucketSeconds) {
        List<String> lines = new ArrayList<>();
        int last = (int) Math.min(3599, (System.nanoTime() - startedNanos) / 1_000_000_000L);
        for (int from = 0; from <= last; from += bucketSeconds) {
            long ok = 0;
            long refused = 0;
            for (int s = from; s < from + bucketSeconds && s <= last; s++) {
                ok += okPerSecond.get(s);
                refused += refusedPerSecond.get(s);
            }
            lines.add(String.format("t=%3ds  200: %4d  429/503/other: %4d", from, ok, refused));
        }
        return lines;
    }

    public double secondsSinceStart() {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    /** Starts counting throughput and latency from now (the end of the warm-up). */
    public void startMeasuring() {
        measureFromNanos = System.nanoTime();
    }

    /** Stops the clients after their current request and waits for them. */
    public void stop() throws InterruptedException {
        measureToNanos = System.nanoTime();
        running = false;
        for (Worker w : workers) {
            w.thread.join();
        }
    }

    /** The figures so far (call after {@link #stop} for the final ones). */
    public Result result() {
        Map<Integer, Long> byStatus = new TreeMap<>();
        statuses.forEach((k, v) -> byStatus.put(k, v.sum()));
        long[] all = workers.stream().flatMapToLong(w -> Arrays.stream(w.latencies, 0, w.count)).sorted().toArray();
        long to = Math.min(measureToNanos, System.nanoTime());
        double seconds = measureFromNanos == Long.MAX_VALUE ? 0 : (to - measureFromNanos) / 1e9;
        return new Result(byStatus, transportErrors.sum(), refusalsWithoutRetryAfter.sum(), acceptedSpans.sum(), measuredSpans.sum(), seconds,
                percentile(all, 0.50), percentile(all, 0.99), all.length == 0 ? 0 : all[all.length - 1] / 1e6, all.length,
                Set.copyOf(acknowledged), template.spans(), template.bytes());
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
    }

    /**
     * What a run did.
     *
     * @param statuses         answers by HTTP status
     * @param transportErrors  requests that got no answer (connection refused, timeout)
     * @param refusalsWithoutRetryAfter 429/503 answers that lacked a Retry-After header (should be none)
     * @param acceptedSpans    spans acknowledged in 200 answers, over the whole run
     * @param measuredSpans    the same, counted after the warm-up only
     * @param measuredSeconds  length of the measured interval
     * @param p50Ms            median latency of the measured requests (every answer, whatever its status)
     * @param p99Ms            99th percentile latency
     * @param maxMs            slowest measured request
     * @param measuredRequests requests in the measured interval
     * @param acknowledged     prefixes of the requests answered 200
     * @param spansPerRequest  spans in each request
     * @param requestBytes     body size of each request (before gzip)
     */
    public record Result(Map<Integer, Long> statuses, long transportErrors, long refusalsWithoutRetryAfter, long acceptedSpans, long measuredSpans,
                         double measuredSeconds, double p50Ms, double p99Ms, double maxMs, long measuredRequests,
                         Set<Long> acknowledged, int spansPerRequest, int requestBytes) {
        public double spansPerSecond() {
            return measuredSeconds <= 0 ? 0 : measuredSpans / measuredSeconds;
        }

        public long count(int status) {
            return statuses.getOrDefault(status, 0L);
        }
    }

    private final class Worker implements Runnable {
        final Thread thread;
        final int index;
        final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        long[] latencies = new long[4096];
        int count;
        long sequence;

        Worker(int index) {
            this.index = index;
            this.thread = new Thread(this, "bench-client-" + index);
            this.thread.setDaemon(true);
        }

        @Override
        public void run() {
            byte[] body = null;
            long prefix = 0;
            while (running) {
                if (body == null) {
                    prefix = runId | ((long) index << 40) | (++sequence);
                    body = encode(template.body(prefix));
                }
                long started = System.nanoTime();
                int status;
                long retryAfterMs = 0;
                byte[] answer;
                try {
                    HttpResponse<byte[]> response = http.send(request(body), HttpResponse.BodyHandlers.ofByteArray());
                    status = response.statusCode();
                    answer = response.body();
                    java.util.Optional<String> retryAfter = response.headers().firstValue("Retry-After");
                    retryAfterMs = retryAfter.map(v -> Long.parseLong(v.trim()) * 1000).orElse(1000L);
                    if (retryAfter.isEmpty() && (status == 429 || status == 503)) {
                        refusalsWithoutRetryAfter.increment();
                    }
                } catch (IOException e) {
                    transportErrors.increment();
                    pause(100);
                    continue;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                long finished = System.nanoTime();
                statuses.computeIfAbsent(status, k -> new LongAdder()).increment();
                int second = (int) Math.min(3599, (finished - startedNanos) / 1_000_000_000L);
                (status == 200 ? okPerSecond : refusedPerSecond).incrementAndGet(second);
                statusesByPhase.computeIfAbsent(phase, k -> new ConcurrentHashMap<>())
                        .computeIfAbsent(status, k -> new LongAdder()).increment();
                boolean measured = started >= measureFromNanos && finished <= measureToNanos;
                if (measured) {
                    record(finished - started);
                }
                if (status == 200) {
                    int spans = template.spans() - rejected(answer);
                    acceptedSpans.add(spans);
                    if (measured) {
                        measuredSpans.add(spans);
                    }
                    acknowledged.add(prefix);
                    body = null;
                } else if (status == 429 || status == 502 || status == 503 || status == 504) {
                    pause(Math.min(retryAfterMs, 5_000));
                } else {
                    body = null;
                }
            }
        }

        private int rejected(byte[] answer) {
            if (template.json()) {
                return 0;
            }
            try {
                return (int) ExportTraceServiceResponse.parseFrom(answer).getPartialSuccess().getRejectedSpans();
            } catch (IOException e) {
                return 0;
            }
        }

        private void record(long nanos) {
            if (count == latencies.length) {
                latencies = Arrays.copyOf(latencies, latencies.length * 2);
            }
            latencies[count++] = nanos;
        }

        private HttpRequest request(byte[] body) {
            HttpRequest.Builder b = HttpRequest.newBuilder(options.endpoint())
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", template.json() ? "application/json" : "application/x-protobuf")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            if (options.gzip()) {
                b.header("Content-Encoding", "gzip");
            }
            options.bearerToken().ifPresent(t -> b.header("Authorization", "Bearer " + t));
            return b.build();
        }

        private byte[] encode(byte[] raw) {
            if (!options.gzip()) {
                return raw;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length / 4);
            try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
                gz.write(raw);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out.toByteArray();
        }

        private void pause(long ms) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
