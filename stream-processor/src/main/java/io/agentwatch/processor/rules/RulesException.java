package io.agentwatch.processor.rules;

/** The rules file is invalid: the message names the file, the rule and the field. Start-up stops with it. */
public final class RulesException extends RuntimeException {
    public RulesException(String message, Throwable cause) {
        super(message, cause);
    }

    public RulesException(String message) {
        super(message);
    }
}
