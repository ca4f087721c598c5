package io.agentwatch.gateway.auth;

import io.agentwatch.service.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Who may write events, and as which tenant. Without any token configured every request is accepted and the
 * events keep the tenant they name. With a shared token ({@code auth.token}) a request must present it and may
 * name any tenant. With a token file, each token belongs to one tenant: that tenant is stamped on every event of
 * the request, and an event that names another tenant is refused.
 *
 * <p>Tokens are kept only as SHA-256 digests and looked up by digest, so that a lookup takes the same time
 * whichever character of a wrong token differs.
 */
public final class TenantAuth {
    private static final String BEARER = "Bearer ";

    private final Map<String, Caller> callersByDigest;

    private TenantAuth(Map<String, Caller> callersByDigest) {
        this.callersByDigest = Map.copyOf(callersByDigest);
    }

    /** No authentication: every request is an anonymous caller without a tenant. */
    public static TenantAuth open() {
        return new TenantAuth(Map.of());
    }

    /**
     * @param sharedToken a token that may write any tenant, if any
     * @param tokenFile   a file of {@code <token> <tenant>} lines ('#' starts a comment), if any
     */
    public static TenantAuth of(Optional<String> sharedToken, Optional<Path> tokenFile) {
        Map<String, Caller> callers = new HashMap<>();
        sharedToken.filter(t -> !t.isBlank()).ifPresent(t -> callers.put(digest(t.strip()), Caller.SHARED));
        tokenFile.ifPresent(file -> readTokenFile(file, callers));
        return new TenantAuth(callers);
    }

    /** Parses the token file; errors name the file and line, never the token. */
    static void readTokenFile(Path file, Map<String, Caller> callers) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException("cannot read the token file " + file + " (auth.tokens.file): " + e.getClass().getSimpleName());
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+");
            if (parts.length != 2) {
                throw new ConfigException("token file " + file + " line " + (i + 1) + ": expected '<token> <tenant>'");
            }
            Caller previous = callers.put(digest(parts[0]), Caller.ofTenant(parts[1]));
            if (previous != null) {
                throw new ConfigException("token file " + file + " line " + (i + 1) + ": this token is already listed (for another line or auth.token)");
            }
        }
        if (callers.isEmpty()) {
            throw new ConfigException("token file " + file + " (auth.tokens.file) lists no token");
        }
    }

    public boolean enabled() {
        return !callersByDigest.isEmpty();
    }

    /** The caller that the Authorization header identifies, or empty when it must be refused (401). */
    public Optional<Caller> authenticate(String authorizationHeader) {
        if (callersByDigest.isEmpty()) {
            return Optional.of(Caller.ANONYMOUS);
        }
        if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Optional.empty();
        }
        String token = authorizationHeader.substring(BEARER.length()).strip();
        return Optional.ofNullable(callersByDigest.get(digest(token)));
    }

    private static String digest(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /**
     * An authenticated caller.
     *
     * @param tenant the tenant its token belongs to; empty for the shared token and when auth is off
     */
    public record Caller(Optional<String> tenant) {
        public static final Caller ANONYMOUS = new Caller(Optional.empty());
        public static final Caller SHARED = new Caller(Optional.empty());

        public static Caller ofTenant(String tenant) {
            return new Caller(Optional.of(tenant));
        }

        /**
         * The tenant an event gets: the caller's, when it has one; else the one the event names. Null for an event
         * that names another tenant than the caller's: it must be refused ({@link #tenantViolation}).
         */
        public String resolveTenant(String named) {
            if (tenant.isEmpty()) {
                return named;
            }
            if (named == null || named.equals(tenant.get())) {
                return tenant.get();
            }
            return null;
        }

        /** The refusal message for an event that names {@code named}, or null when the caller may write it. */
        public String tenantViolation(String named) {
            if (tenant.isEmpty() || named == null || named.equals(tenant.get())) {
                return null;
            }
            return "the token is for tenant '" + tenant.get() + "', the event names tenant '" + named + "'";
        }
    }
}
