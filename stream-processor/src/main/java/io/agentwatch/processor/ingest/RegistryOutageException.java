package io.agentwatch.processor.ingest;

import io.agentwatch.schema.registry.RegistryUnavailableException;

/**
 * The schema registry stayed unreachable for longer than {@code registry.max-wait} while a record with a schema id
 * not yet cached waited to be decoded. Not a poison pill: the processing exception handler lets it fail the task
 * (the record is not dead-lettered), and the uncaught-exception handler replaces the stream thread, which keeps
 * this JVM's schema cache, so records with known ids go on flowing and this one is retried from the last commit.
 */
public final class RegistryOutageException extends RuntimeException {
    public RegistryOutageException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Whether {@code error} or one of its causes says the registry could not be reached. */
    public static boolean isCause(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof RegistryOutageException || t instanceof RegistryUnavailableException) {
                return true;
            }
            if (t.getCause() == t) {
                return false;
            }
        }
        return false;
    }
}
