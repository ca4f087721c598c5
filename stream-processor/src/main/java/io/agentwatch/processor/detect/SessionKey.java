package io.agentwatch.processor.detect;

/**
 * The key of a session's state within its agent's partition: session id and agent id (a session used by several
 * agents is counted per agent). Live caches are keyed by it; a detector looks up with one reused probe instance
 * per event (no allocation) and stores a {@link #copy()} only when it creates an entry. In a store the key is
 * {@code <session id> US <agent id>} (US = U+001F), so that a session's states can be found by prefix.
 */
final class SessionKey {
    static final char SEPARATOR = '\u001f';

    private String sessionId;
    private String agentId;
    private int hash;

    SessionKey set(String sessionId, String agentId) {
        this.sessionId = sessionId;
        this.agentId = agentId;
        this.hash = 31 * sessionId.hashCode() + agentId.hashCode();
        return this;
    }

    SessionKey copy() {
        return new SessionKey().set(sessionId, agentId);
    }

    String sessionId() {
        return sessionId;
    }

    String agentId() {
        return agentId;
    }

    String storeKey() {
        return sessionId + SEPARATOR + agentId;
    }

    /** The prefix of every stored state of a session, whatever the agent. */
    static String storePrefix(String sessionId) {
        return sessionId + SEPARATOR;
    }

    static SessionKey fromStoreKey(String key) {
        int sep = key.lastIndexOf(SEPARATOR);
        if (sep < 0) {
            throw new IllegalStateException("not a session key: " + key);
        }
        return new SessionKey().set(key.substring(0, sep), key.substring(sep + 1));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SessionKey k && k.hash == hash && k.sessionId.equals(sessionId) && k.agentId.equals(agentId);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return sessionId + "/" + agentId;
    }
}
