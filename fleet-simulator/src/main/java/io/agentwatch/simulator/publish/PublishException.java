package io.agentwatch.simulator.publish;

/** Publishing stopped because the sink refused events (broker, registry or file errors); the cause says why. */
public class PublishException extends RuntimeException {
    public PublishException(String message, Throwable cause) {
        super(message, cause);
    }
}
