package io.agentwatch.stack;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * Sends the full log (the Kafka server's INFO included) to {@code <dataDir>/logs/agentwatch.log}, while the
 * console keeps only agentwatch's own messages and warnings (logback.xml). Done in code because the data
 * directory is only known once the command line has been parsed.
 */
final class LogFiles {
    private LogFiles() {
    }

    /** Adds the file appender; returns the log file, or null when logback is not the SLF4J backend. */
    static Path toDataDir(Path dataDir) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return null;
        }
        Path file = dataDir.resolve("logs").resolve("agentwatch.log");
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n");
        encoder.start();
        FileAppender<ILoggingEvent> appender = new FileAppender<>();
        appender.setContext(context);
        appender.setName("DATA_DIR_FILE");
        appender.setFile(file.toString());
        appender.setAppend(true);
        appender.setEncoder(encoder);
        appender.start();
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
        // non-additive loggers never reach the root's appenders: give each the file too
        context.getLoggerList().stream().filter(logger -> !logger.isAdditive()).forEach(logger -> logger.addAppender(appender));
        return file;
    }
}
