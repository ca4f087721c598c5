package io.agentwatch.stack.backtest;

/** One input record as the processor would read it: key and value bytes, and the record's timestamp. */
public record RawEvent(byte[] key, byte[] value, long timestamp) {
}
