package io.agentwatch.processor.ingest;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The second error layer: an exception thrown by our own processing of a record (a bug, not a poison pill, which
 * the decode step already handles) sends that record's original bytes to the events dead-letter topic with reason
 * {@code processing-error} and the exception, and processing continues, so one bad record cannot stop the fleet's
 * alerting. An error outside any input record (a punctuation) fails the task: the uncaught-exception policy then
 * stops the client so that it is restarted. A schema registry outage is not the record's fault either: it fails the
 * task instead of dead-lettering a record that is fine (see {@link RegistryOutageException}).
 */
public final class DeadLetterProcessingHandler implements ProcessingExceptionHandler {
    /** Streams config key naming the dead-letter topic. */
    public static final String DLQ_TOPIC_CONFIG = "agentwatch.events.dlq.topic";
    private static final Logger log = LoggerFactory.getLogger(DeadLetterProcessingHandler.class);

    private String topic;

    @Override
    public void configure(Map<String, ?> configs) {
        Object t = configs.get(DLQ_TOPIC_CONFIG);
        topic = t == null ? "agent.events.dlq" : t.toString();
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        byte[] value = context.sourceRawValue();
        if (RegistryOutageException.isCause(exception)) {
            log.error("schema registry unreachable while processing {}-{}@{} in {}: failing the task, not dead-lettering the record",
                    context.topic(), context.partition(), context.offset(), context.processorNodeId(), exception);
            return Response.fail();
        }
        if (value == null) {
            log.error("processing failed outside of an input record in {} (task {}): failing the task", context.processorNodeId(), context.taskId(), exception);
            return Response.fail();
        }
        log.error("processing failed on {}-{}@{} in {}: dead-lettering the record and continuing", context.topic(), context.partition(),
                context.offset(), context.processorNodeId(), exception);
        ProducerRecord<byte[], byte[]> dead = new ProducerRecord<>(topic, null, context.timestamp(), context.sourceRawKey(), value,
                DeadLetters.headers(context.headers(), context.topic(), context.partition(), context.offset(), "processing-error",
                        exception.toString(), System.currentTimeMillis()));
        return Response.resume(List.of(dead));
    }
}
