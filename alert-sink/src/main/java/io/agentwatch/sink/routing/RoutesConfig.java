package io.agentwatch.sink.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.agentwatch.service.ConfigException;
import io.agentwatch.service.Durations;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The routes file: an Alertmanager-like routing tree and the receivers it names, read from YAML and validated
 * whole at start-up. Every error names the file and the path of the bad key ({@code route.routes[1].group_wait}).
 * Secrets are never in the file itself: {@code url_env}/{@code routing_key_env} name an environment variable and
 * {@code url_file}/{@code routing_key_file} a file (a Kubernetes or Docker secret); only a non-secret
 * {@code url} may be written inline (an Alertmanager or an internal webhook).
 *
 * @param root      the root route (matches every alert)
 * @param receivers receivers by name, in file order
 */
public record RoutesConfig(Route root, Map<String, ReceiverSpec> receivers) {
    public static final String DEFAULT_RESOURCE = "/io/agentwatch/sink/default-routes.yaml";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> TOP_KEYS = Set.of("route", "receivers");
    private static final Set<String> ROUTE_KEYS = Set.of("receiver", "matchers", "continue", "group_by", "group_wait",
            "group_interval", "repeat_interval", "routes");
    private static final Set<String> RECEIVER_KEYS = Set.of("name", "type", "url", "url_env", "url_file", "routing_key_env",
            "routing_key_file", "timeout", "retry", "period", "send_to", "max_alerts", "resend_interval");
    private static final Set<String> RETRY_KEYS = Set.of("max_attempts", "initial_backoff", "max_backoff", "max_elapsed");
    private static final String PAGERDUTY_URL = "https://events.pagerduty.com/v2/enqueue";

    /** Reads and validates a routes file; secrets are looked up in {@code env} and in the files named. */
    public static RoutesConfig load(Path file, Map<String, String> env) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException("cannot read routes file " + file + " (setting 'routes.file', AGENTWATCH_ROUTES_FILE): " + e.getClass().getSimpleName() + " " + e.getMessage());
        }
        return parse(text, "routes file " + file, env);
    }

    /** The default routes file shipped in the jar. */
    public static RoutesConfig loadDefault(Map<String, String> env) {
        try (InputStream in = RoutesConfig.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("default routes file missing from the jar: " + DEFAULT_RESOURCE);
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "default routes file (classpath " + DEFAULT_RESOURCE + ")", env);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static RoutesConfig parse(String yaml, String source, Map<String, String> env) {
        JsonNode doc;
        try {
            doc = YAML.readTree(yaml);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ConfigException(source + ": not valid YAML: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
        } catch (IOException e) {
            throw new ConfigException(source + ": cannot read: " + e.getMessage());
        }
        Reader r = new Reader(source, env);
        if (doc == null || !doc.isObject()) {
            throw r.error("(top)", "must be a mapping with 'route' and 'receivers'");
        }
        r.keys(doc, "(top)", TOP_KEYS);
        Map<String, ReceiverSpec> receivers = new LinkedHashMap<>();
        JsonNode list = doc.get("receivers");
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw r.error("receivers", "must be a non-empty list");
        }
        for (int i = 0; i < list.size(); i++) {
            ReceiverSpec spec = r.receiver(list.get(i), "receivers[" + i + "]");
            if (receivers.put(spec.name(), spec) != null) {
                throw r.error("receivers[" + i + "].name", "receiver '" + spec.name() + "' is defined twice");
            }
        }
        for (ReceiverSpec spec : receivers.values()) {
            if (spec.type() == ReceiverSpec.Type.DIGEST) {
                String target = spec.sendTo().orElseThrow();
                ReceiverSpec to = receivers.get(target);
                if (to == null) {
                    throw r.error("receivers[" + spec.name() + "].send_to", "no receiver named '" + target + "'; known: " + receivers.keySet());
                }
                if (to.type() != ReceiverSpec.Type.SLACK && to.type() != ReceiverSpec.Type.WEBHOOK) {
                    throw r.error("receivers[" + spec.name() + "].send_to", "a digest is sent through a slack or webhook receiver, '" + target + "' is " + to.type().id());
                }
            }
        }
        JsonNode routeNode = doc.get("route");
        if (routeNode == null || !routeNode.isObject()) {
            throw r.error("route", "is missing: the root route names the default receiver");
        }
        Defaults top = new Defaults(null, List.of(), Duration.ZERO, Duration.ZERO, Duration.ZERO);
        Route root = r.route(routeNode, "route", top, receivers, true);
        return new RoutesConfig(root, receivers);
    }

    public Router router() {
        return new Router(root);
    }

    private record Defaults(String receiver, List<String> groupBy, Duration groupWait, Duration groupInterval, Duration repeatInterval) {
    }

    /** Walks the YAML tree, naming the path of any bad key. */
    private static final class Reader {
        private final String source;
        private final Map<String, String> env;

        Reader(String source, Map<String, String> env) {
            this.source = source;
            this.env = env;
        }

        ConfigException error(String path, String problem) {
            return new ConfigException(source + ": " + path + " " + problem);
        }

        void keys(JsonNode node, String path, Set<String> allowed) {
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!allowed.contains(k)) {
                    throw error(path + "." + k, "is not a known key; allowed here: " + allowed.stream().sorted().toList());
                }
            }
        }

        Route route(JsonNode node, String path, Defaults parent, Map<String, ReceiverSpec> receivers, boolean root) {
            if (!node.isObject()) {
                throw error(path, "must be a mapping");
            }
            keys(node, path, ROUTE_KEYS);
            String receiver = optText(node, "receiver", path).orElse(parent.receiver());
            if (receiver == null) {
                throw error(path + ".receiver", "is missing: the root route must name a receiver");
            }
            if (!receivers.containsKey(receiver)) {
                throw error(path + ".receiver", "names no receiver: '" + receiver + "'; known: " + receivers.keySet());
            }
            List<Matcher> matchers = new ArrayList<>();
            JsonNode m = node.get("matchers");
            if (m != null) {
                if (root) {
                    throw error(path + ".matchers", "is not allowed on the root route (it takes every alert)");
                }
                if (!m.isArray()) {
                    throw error(path + ".matchers", "must be a list like ['severity=\"critical\"']");
                }
                for (int i = 0; i < m.size(); i++) {
                    try {
                        matchers.add(Matcher.parse(m.get(i).asText()));
                    } catch (IllegalArgumentException e) {
                        throw error(path + ".matchers[" + i + "]", e.getMessage());
                    }
                }
            }
            boolean cont = false;
            JsonNode c = node.get("continue");
            if (c != null) {
                if (!c.isBoolean()) {
                    throw error(path + ".continue", "must be true or false");
                }
                if (root && c.booleanValue()) {
                    throw error(path + ".continue", "is not allowed on the root route");
                }
                cont = c.booleanValue();
            }
            List<String> groupBy = parent.groupBy();
            JsonNode g = node.get("group_by");
            if (g != null) {
                if (!g.isArray()) {
                    throw error(path + ".group_by", "must be a list of label names, or ['...'] for every label");
                }
                List<String> names = new ArrayList<>();
                g.forEach(n -> names.add(n.asText()));
                for (String n : names) {
                    if (!n.equals(Route.ALL_LABELS) && !n.matches(Matcher.LABEL_NAME)) {
                        throw error(path + ".group_by", "'" + n + "' is not a label name");
                    }
                }
                groupBy = names;
            }
            Duration wait = duration(node, "group_wait", path).orElse(parent.groupWait());
            Duration interval = duration(node, "group_interval", path).orElse(parent.groupInterval());
            Duration repeat = duration(node, "repeat_interval", path).orElse(parent.repeatInterval());
            if (!wait.isZero() && interval.isZero()) {
                interval = wait;
            }
            Defaults mine = new Defaults(receiver, groupBy, wait, interval, repeat);
            List<Route> children = new ArrayList<>();
            JsonNode rs = node.get("routes");
            if (rs != null) {
                if (!rs.isArray()) {
                    throw error(path + ".routes", "must be a list of routes");
                }
                for (int i = 0; i < rs.size(); i++) {
                    children.add(route(rs.get(i), path + ".routes[" + i + "]", mine, receivers, false));
                }
            }
            return new Route(path, receiver, matchers, cont, groupBy, wait, interval, repeat, children);
        }

        ReceiverSpec receiver(JsonNode node, String path) {
            if (node == null || !node.isObject()) {
                throw error(path, "must be a mapping with name and type");
            }
            keys(node, path, RECEIVER_KEYS);
            String name = optText(node, "name", path).orElseThrow(() -> error(path + ".name", "is missing"));
            if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
                throw error(path + ".name", "'" + name + "' must be letters, digits, '-', '_' or '.'");
            }
            String at = "receivers[" + name + "]";
            String typeText = optText(node, "type", at).orElseThrow(() -> error(at + ".type", "is missing: one of alertmanager, pagerduty, slack, webhook, digest, log"));
            ReceiverSpec.Type type;
            try {
                type = ReceiverSpec.Type.valueOf(typeText.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw error(at + ".type", "'" + typeText + "' is not one of alertmanager, pagerduty, slack, webhook, digest, log");
            }
            Optional<Secret> url = secret(node, "url", at, type != ReceiverSpec.Type.SLACK);
            Optional<Secret> key = secret(node, "routing_key", at, false);
            switch (type) {
                case PAGERDUTY -> {
                    if (key.isEmpty()) {
                        throw error(at, "a pagerduty receiver needs routing_key_env or routing_key_file");
                    }
                    if (url.isEmpty()) {
                        url = Optional.of(new Secret(PAGERDUTY_URL, "default PagerDuty Events API v2 URL"));
                    }
                }
                case ALERTMANAGER, SLACK, WEBHOOK -> {
                    if (url.isEmpty()) {
                        throw error(at, "a " + type.id() + " receiver needs " + (type == ReceiverSpec.Type.SLACK ? "url_env or url_file" : "url, url_env or url_file"));
                    }
                }
                case DIGEST, LOG -> {
                    if (url.isPresent()) {
                        throw error(at + ".url", "a " + type.id() + " receiver has no URL");
                    }
                }
            }
            if (type != ReceiverSpec.Type.PAGERDUTY && key.isPresent()) {
                throw error(at + ".routing_key_env", "is only for pagerduty receivers");
            }
            url.ifPresent(u -> validateUrl(u, at));
            Duration timeout = duration(node, "timeout", at).orElse(Duration.ofSeconds(10));
            RetrySpec retry = retry(node.get("retry"), at + ".retry");
            Duration period = Duration.ofHours(1);
            Optional<String> sendTo = optText(node, "send_to", at);
            if (type == ReceiverSpec.Type.DIGEST) {
                period = duration(node, "period", at).orElse(Duration.ofHours(1));
                if (!period.equals(Duration.ofHours(1)) && !period.equals(Duration.ofDays(1)) && period.compareTo(Duration.ofMinutes(1)) < 0) {
                    throw error(at + ".period", "must be 1h, 1d or at least 1m");
                }
                if (sendTo.isEmpty()) {
                    throw error(at + ".send_to", "is missing: name the slack or webhook receiver the digest is sent through");
                }
            } else if (node.has("period") || node.has("send_to")) {
                throw error(at, "period and send_to are only for digest receivers");
            }
            int maxAlerts = 10;
            if (node.has("max_alerts")) {
                JsonNode ma = node.get("max_alerts");
                if (!ma.canConvertToInt() || ma.asInt() < 1 || ma.asInt() > 45) {
                    throw error(at + ".max_alerts", "must be a whole number from 1 to 45 (Slack allows 50 blocks per message)");
                }
                maxAlerts = ma.asInt();
            }
            Duration resend = duration(node, "resend_interval", at).orElse(Duration.ofMinutes(1));
            if (node.has("resend_interval") && type != ReceiverSpec.Type.ALERTMANAGER) {
                throw error(at + ".resend_interval", "is only for alertmanager receivers");
            }
            if (resend.compareTo(Duration.ofSeconds(1)) < 0) {
                throw error(at + ".resend_interval", "must be at least 1s");
            }
            return new ReceiverSpec(name, type, url, key, timeout, retry, period, sendTo, maxAlerts, resend);
        }

        private void validateUrl(Secret url, String at) {
            String v = url.value();
            if (!(v.startsWith("http://") || v.startsWith("https://"))) {
                throw error(at + ".url", "must be an http(s) URL (the value from " + url.origin() + " is not; it is not shown because it may be a secret)");
            }
            try {
                java.net.URI.create(v);
            } catch (IllegalArgumentException e) {
                throw error(at + ".url", "is not a valid URL (from " + url.origin() + "; value not shown)");
            }
        }

        RetrySpec retry(JsonNode node, String path) {
            if (node == null) {
                return RetrySpec.DEFAULT;
            }
            if (!node.isObject()) {
                throw error(path, "must be a mapping");
            }
            keys(node, path, RETRY_KEYS);
            RetrySpec d = RetrySpec.DEFAULT;
            int attempts = d.maxAttempts();
            if (node.has("max_attempts")) {
                JsonNode a = node.get("max_attempts");
                if (!a.canConvertToInt() || a.asInt() < 1) {
                    throw error(path + ".max_attempts", "must be a whole number >= 1");
                }
                attempts = a.asInt();
            }
            Duration initial = duration(node, "initial_backoff", path).orElse(d.initialBackoff());
            Duration max = duration(node, "max_backoff", path).orElse(d.maxBackoff());
            Duration elapsed = duration(node, "max_elapsed", path).orElse(d.maxElapsed());
            if (max.compareTo(initial) < 0) {
                throw error(path + ".max_backoff", "must not be shorter than initial_backoff");
            }
            return new RetrySpec(attempts, initial, max, elapsed);
        }

        Optional<Secret> secret(JsonNode node, String base, String at, boolean inlineAllowed) {
            List<String> given = new ArrayList<>();
            for (String suffix : List.of("", "_env", "_file")) {
                if (node.has(base + suffix)) {
                    given.add(base + suffix);
                }
            }
            if (given.isEmpty()) {
                return Optional.empty();
            }
            if (given.size() > 1) {
                throw error(at, "give only one of " + given);
            }
            String key = given.get(0);
            String ref = node.get(key).asText().trim();
            if (key.equals(base)) {
                if (!inlineAllowed) {
                    throw error(at + "." + key, "must not be written in the file: use " + base + "_env or " + base + "_file");
                }
                return Optional.of(new Secret(ref, "routes file"));
            }
            if (key.endsWith("_env")) {
                String v = env.get(ref);
                if (v == null || v.isBlank()) {
                    throw error(at + "." + key, "names environment variable " + ref + ", which is not set");
                }
                return Optional.of(new Secret(v.trim(), "env " + ref));
            }
            try {
                String v = Files.readString(Path.of(ref), StandardCharsets.UTF_8).strip();
                if (v.isEmpty()) {
                    throw error(at + "." + key, "names file " + ref + ", which is empty");
                }
                return Optional.of(new Secret(v, "file " + ref));
            } catch (IOException e) {
                throw error(at + "." + key, "names file " + ref + ", which cannot be read (" + e.getClass().getSimpleName() + ")");
            }
        }

        Optional<String> optText(JsonNode node, String key, String path) {
            JsonNode v = node.get(key);
            if (v == null || v.isNull()) {
                return Optional.empty();
            }
            if (!v.isValueNode() || v.asText().isBlank()) {
                throw error(path + "." + key, "must be a non-empty string");
            }
            return Optional.of(v.asText().trim());
        }

        Optional<Duration> duration(JsonNode node, String key, String path) {
            JsonNode v = node.get(key);
            if (v == null || v.isNull()) {
                return Optional.empty();
            }
            try {
                Duration d = Durations.parse(v.asText());
                if (d.isNegative()) {
                    throw error(path + "." + key, "must not be negative");
                }
                return Optional.of(d);
            } catch (IllegalArgumentException e) {
                throw error(path + "." + key, e.getMessage());
            }
        }
    }
}
