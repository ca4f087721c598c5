package io.agentwatch.stack;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code agentwatch up}: the broker and the registry with the agentwatch topics and schemas, until Ctrl-C. */
@Command(name = "up", mixinStandardHelpOptions = true,
        header = "Run a real Kafka broker and schema registry on 127.0.0.1 until Ctrl-C.",
        description = {
            "Starts a real Kafka broker (KRaft, in this JVM) and a real schema registry (Apicurio, Confluent API, "
                    + "a child process), creates the agentwatch topics, registers the schemas, prints where they listen "
                    + "and runs until Ctrl-C. Topics, records and schemas are kept in the data directory across runs."})
public final class UpCommand implements Callable<Integer> {
    @Mixin
    StackOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        return new StackRunner(options, spec.commandLine().getOut(), spec.commandLine().getErr()).runUntilStopped(null);
    }
}
