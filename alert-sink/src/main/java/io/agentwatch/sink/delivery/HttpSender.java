package io.agentwatch.sink.delivery;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Posts JSON with the JDK HttpClient and classifies the answer: 2xx is success; 408, 429 and 5xx and connection
 * errors are retryable, with Retry-After (seconds or an HTTP date) when the server gave one; any other status is
 * final. Error texts name the masked URL and pass through the {@link Redactor}.
 */
public final class HttpSender {
    private static final int BODY_SNIPPET = 200;

    private final HttpClient client;
    private final Duration timeout;
    private final Redactor redactor;
    private final Supplier<java.time.Instant> clock;

    public HttpSender(Duration timeout, Redactor redactor, Supplier<java.time.Instant> clock) {
        this.client = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.timeout = timeout;
        this.redactor = redactor;
        this.clock = clock;
    }

    public Attempt postJson(Outgoing out) {
        HttpRequest request = HttpRequest.newBuilder(out.uri())
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "agentwatch-alert-sink")
                .POST(HttpRequest.BodyPublishers.ofByteArray(out.body()))
                .build();
        String where = Redactor.mask(out.uri());
        HttpResponse<String> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpConnectTimeoutException e) {
            return Attempt.failure(true, Optional.empty(), "connect_timeout", "connect to " + where + " timed out");
        } catch (HttpTimeoutException e) {
            return Attempt.failure(true, Optional.empty(), "timeout", "no answer from " + where + " within " + timeout.toMillis() + " ms");
        } catch (ConnectException e) {
            return Attempt.failure(true, Optional.empty(), "connect", "cannot connect to " + where + ": " + redactor.clean(String.valueOf(e.getMessage())));
        } catch (IOException e) {
            return Attempt.failure(true, Optional.empty(), "io", "I/O error talking to " + where + ": " + e.getClass().getSimpleName() + " " + redactor.clean(String.valueOf(e.getMessage())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Attempt.failure(true, Optional.empty(), "interrupted", "interrupted while sending to " + where);
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return Attempt.success();
        }
        String body = response.body() == null ? "" : response.body().strip();
        if (body.length() > BODY_SNIPPET) {
            body = body.substring(0, BODY_SNIPPET) + "...";
        }
        boolean retryable = status == 408 || status == 429 || status >= 500;
        Optional<Duration> retryAfter = retryable ? retryAfter(response.headers().firstValue("Retry-After")) : Optional.empty();
        return Attempt.failure(retryable, retryAfter, "http_" + status,
                "HTTP " + status + " from " + where + (body.isEmpty() ? "" : ": " + redactor.clean(body)));
    }

    Optional<Duration> retryAfter(Optional<String> header) {
        if (header.isEmpty()) {
            return Optional.empty();
        }
        String v = header.get().trim();
        try {
            long seconds = Long.parseLong(v);
            return Optional.of(Duration.ofSeconds(Math.max(0, seconds)));
        } catch (NumberFormatException ignored) {
            // an HTTP date
        }
        try {
            ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
            Duration d = Duration.between(clock.get(), at.toInstant());
            return Optional.of(d.isNegative() ? Duration.ZERO : d);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
